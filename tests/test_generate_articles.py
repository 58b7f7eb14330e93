"""``manage.py generate_articles``: bulk-made stories must be what readers, search and the page cache would get from
stories saved one by one. Runs the same on SQLite and PostgreSQL (DATABASE_URL=postgres://…)."""

import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from articles import page_cache
from articles.generate import Generator
from articles.models import Article, ArticleAuthor, Photo, SearchDocument, TaggedArticle
from articles.text import clean_body_html
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def generate(count=50, seed=7, photos=3, capture=None):
    if capture is None:
        call_command("generate_articles", count, seed=seed, photos=photos, verbosity=0)
        return
    with capture(execute=True):
        call_command("generate_articles", count, seed=seed, photos=photos, verbosity=0)


def content():
    """What a seed decides, per article in creation order (dates are counted back from the moment of the run)."""
    return [
        (article.headline_ar, article.headline_en, article.section.slug, article.lead_photo.caption_ar,
         [person.slug for person in article.authors.order_by("articleauthor__order")],
         sorted(tag.name for tag in article.tags.all()),
         [photo.caption_ar for photo in article.inline_photos.all()],
         sorted(other.headline_ar for other in article.related_articles.all()))
        for article in Article.objects.order_by("pk").select_related("section", "lead_photo")
    ]


def test_generated_articles_are_complete_and_visible_to_readers(client, django_capture_on_commit_callbacks):
    generate(capture=django_capture_on_commit_callbacks)
    readable = Article.objects.for_readers("ar")
    assert readable.count() == 50
    assert not readable.filter(section=None).exists()
    assert not readable.filter(lead_photo=None).exists()
    assert not readable.annotate(n=Count("articleauthor")).filter(n=0).exists()
    assert not readable.annotate(n=Count("tags")).filter(n=0).exists()
    assert readable.values("section").distinct().count() > 1
    for article in readable:
        assert article.publish_blockers() == []
        assert article.body_ar == clean_body_html(article.body_ar)  # what save() would have stored
        assert article.version == 1 and not article.was_updated
    # Each story's lead photo is its own, taken by a staff photographer the day the story came out, and shows one
    # of the pool's pictures, made through the editors' intake, renditions and all.
    leads = [article.lead_photo for article in readable.select_related("lead_photo__credit_person")]
    assert len({photo.pk for photo in leads}) == 50
    assert {photo.image.name for photo in leads} == {photo.image.name for photo in Photo.objects.filter(
        credit_person=None)} and len({photo.image.name for photo in leads}) == 3
    assert all(photo.renditions and photo.credit_line for photo in leads)
    photographers = {photo.credit_person for photo in leads}
    assert 1 < len(photographers) <= 4 and {person.role for person in photographers} == {"photographer"}
    assert all(photo.uploaded_at == photo.lead_of.get().published_at for photo in leads)
    busiest = max(photographers, key=lambda person: person.credited_photos.count())
    assert client.get(busiest.get_absolute_url()).text.count("photo-grid__story") == 12
    # Several years, and some stories in English too.
    years = {article.published_at.year for article in readable}
    assert len(years) >= 5
    assert 0 < Article.objects.for_readers("en").count() < 50
    story = readable.first()
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get(story.section.get_absolute_url()).status_code == 200


def test_generated_articles_match_the_columns_a_saved_article_has():
    """bulk_create skips save(): the generator must fill every column save() fills, the same way."""
    saved = make_article("الحكومة تعلن خطة جديدة للطاقة في حلب", published=True)
    generate(count=5)
    generated = Article.objects.exclude(pk=saved.pk).first()
    values = Article.objects.filter(pk=saved.pk).values()[0]
    filled = {name for name, value in values.items() if value not in ("", None)}
    row = Article.objects.filter(pk=generated.pk).values()[0]
    missing = {name for name in filled if row[name] in ("", None)} - {"updated_by_id", "lead_photo_caption"}
    assert missing == set()


def test_some_stories_place_a_photo_in_the_body_and_some_have_hand_picked_related_stories(client):
    Generator(seed=7, photos=3, batch_size=30).run(100)  # several batches: picks reach back into earlier ones
    with_photo = [story for story in Article.objects.order_by("pk") if story.inline_photo_ids()]
    assert 5 <= len(with_photo) <= 40
    for story in with_photo:  # the rows save() would have kept in step with the body
        assert [photo.pk for photo in story.inline_photos.all()] == story.inline_photo_ids()
    html = client.get(with_photo[0].get_absolute_url()).content.decode()
    assert html.count('<figure class="figure">') == 1 and with_photo[0].inline_photos.get().caption_ar in html

    picking = Article.objects.filter(related_articles__isnull=False).distinct().order_by("pk")
    assert 2 <= picking.count() <= 25
    story = picking.last()
    picked = list(story.related_articles.all())
    assert 1 <= len(picked) <= 3 and all(other.pk < story.pk for other in picked)  # stories already out
    html = client.get(story.get_absolute_url()).content.decode()
    assert all(other.headline_ar in html for other in picked)


def test_generated_articles_are_found_by_a_word_of_their_headline(client):
    generate()
    assert SearchDocument.objects.filter(language="ar").count() == 50
    assert SearchDocument.objects.filter(language="en").count() == Article.objects.for_readers("en").count()
    article = Article.objects.order_by("pk").first()
    word = max(article.headline_ar.split(), key=len)
    response = client.get("/search/", {"q": article.headline_ar})
    links = re.findall(r'class="search-result__headline"><a href="[^"]*/article/(\d+)/', response.text)
    assert article.pk in {int(pk) for pk in links}
    response = client.get("/search/", {"q": word})
    assert response.status_code == 200 and 'class="search-result__headline"' in response.text


def test_the_same_seed_gives_the_same_articles():
    generate(seed=3)
    first = content()
    Article.objects.all().delete()
    generate(seed=3)
    assert content() == first
    Article.objects.all().delete()
    generate(seed=4)
    assert content() != first


def test_running_twice_adds_as_many_again_without_slug_collisions():
    generate(seed=1)
    generate(seed=1)
    assert Article.objects.for_readers().count() == 100
    slugs = list(Article.objects.values_list("slug_ar", flat=True))
    assert len(set(slugs)) == 100 and all(slugs)
    english = [slug for slug in Article.objects.values_list("slug_en", flat=True) if slug]
    assert len(set(english)) == len(english)
    # The pools are found again, not made twice: three pictures, four photographers, a photo for each story.
    assert Photo.objects.filter(credit_person=None).count() == 3
    assert Photo.objects.values("credit_person").distinct().count() == 1 + 4
    assert Photo.objects.count() == 3 + 100
    assert ArticleAuthor.objects.values("person").distinct().count() <= 80
    assert TaggedArticle.objects.values("tag").distinct().count() <= 500


def test_generation_starts_one_new_page_generation(django_capture_on_commit_callbacks, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    before = page_cache.current_generation()
    generate(capture=django_capture_on_commit_callbacks)
    assert page_cache.current_generation() != before


def test_tags_are_skewed_towards_a_few_common_ones():
    generate(count=200)
    counts = sorted(
        TaggedArticle.objects.values("tag").annotate(n=Count("id")).values_list("n", flat=True), reverse=True
    )
    assert counts[0] >= 10 * counts[-1]


def test_a_count_below_one_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate_articles", 0, verbosity=0)
