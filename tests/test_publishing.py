"""The editorial rules live on the model; these pin them down."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from articles.models import Article
from tests.factories import make_article, make_photo


def publish_errors(article):
    with pytest.raises(ValidationError) as refusal, override("ar"):
        article.publish(by=None)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    return " ".join(refusal.value.messages)


@pytest.mark.django_db
def test_complete_article_publishes_and_readers_see_it():
    article = make_article()
    article.publish(by=None)
    assert article.status == Article.Status.PUBLISHED
    assert list(Article.objects.published()) == [article]


@pytest.mark.django_db
def test_publish_refuses_article_without_section():
    article = make_article()
    article.section = None
    article.save()
    assert "القسم" in publish_errors(article) or "قسم" in publish_errors(article)


@pytest.mark.django_db
def test_publish_refuses_article_without_author():
    article = make_article(authors=[])
    assert "كاتب" in publish_errors(article)


@pytest.mark.django_db
def test_publish_refuses_article_without_lead_photo():
    article = make_article(lead_photo=None)
    assert "صورة" in publish_errors(article)


@pytest.mark.django_db
def test_lead_photo_requirement_can_be_relaxed_for_briefs(settings):
    settings.NEWSROOM_REQUIRE_LEAD_PHOTO = False
    article = make_article(lead_photo=None)
    article.publish(by=None)
    assert article.status == Article.Status.PUBLISHED


@pytest.mark.django_db
def test_publish_refuses_photo_without_credit_naming_what_is_missing():
    article = make_article(lead_photo=make_photo(credit=""))
    message = publish_errors(article)
    assert "المصدر" in message or "حقوق" in message
    assert "النص البديل" not in message


@pytest.mark.django_db
def test_publish_refuses_photo_without_caption_or_alt_text():
    article = make_article(lead_photo=make_photo(caption="", alt_text=""))
    message = publish_errors(article)
    assert "التعليق" in message
    assert "النص البديل" in message


@pytest.mark.django_db
def test_article_caption_stands_in_for_a_photo_without_one():
    article = make_article(lead_photo=make_photo(caption=""), lead_photo_caption_ar="تعليق خاص بالمقال")
    article.publish(by=None)
    assert article.status == Article.Status.PUBLISHED


@pytest.mark.django_db
def test_photographer_credit_person_counts_as_credit():
    from tests.factories import make_person

    photo = make_photo(credit="", credit_person=make_person("ريم الحسن", role="photographer"))
    article = make_article(lead_photo=photo)
    article.publish(by=None)
    assert photo.credit_line == "ريم الحسن"


@pytest.mark.django_db
def test_readers_see_neither_drafts_nor_reviews_nor_future_articles():
    make_article()
    in_review = make_article()
    in_review.submit_for_review(by=None)
    make_article(published=True, published_at=timezone.now() + timezone.timedelta(hours=2))
    visible = make_article(published=True)
    assert list(Article.objects.published()) == [visible]


@pytest.mark.django_db
def test_unpublish_hides_the_article_again():
    article = make_article(published=True)
    article.unpublish(by=None)
    assert not Article.objects.published().exists()


@pytest.mark.django_db
def test_database_refuses_published_row_without_time():
    from django.db import IntegrityError, transaction

    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED, published_at=None)


@pytest.mark.django_db
def test_slug_is_filled_from_the_arabic_headline():
    article = make_article("الأسد يلتقي وفدًا روسيًا في دمشق")
    assert article.slug_ar == "الأسد-يلتقي-وفدا-روسيا-في-دمشق"
