"""What a reader sees on an article page, per the anatomy in PRODUCT.md."""

import datetime
import re
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.models import Article, SupportAppeal
from tests.factories import make_article, make_person, make_photo


@pytest.fixture
def story():
    return make_article(
        "الأسد يستقبل وفدًا في دمشق",
        published=True,
        published_at=datetime.datetime(2023, 3, 15, 12, 0, tzinfo=ZoneInfo("Asia/Damascus")),
        authors=[make_person("سامر العلي", slug="سامر-العلي"), make_person("ريم حداد", slug="ريم-حداد")],
        lead_photo=make_photo(caption="لقاء في القصر", credit="موقع رئاسة الجمهورية"),
        tags=["سوريا", "دمشق"],
        body_ar="<h2>خلفية</h2><p>نص <strong>مهم</strong>.</p>",
    )


@pytest.mark.django_db
def test_article_page_is_arabic_right_to_left(client, story):
    html = client.get(story.get_absolute_url()).text
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1" in html and story.headline_ar in html


@pytest.mark.django_db
def test_lead_photo_caption_ends_with_credit_in_parentheses(client, story):
    html = client.get(story.get_absolute_url()).text
    figure = re.search(r"<figure.*?</figure>", html, re.S).group(0)
    assert "<figcaption>" in figure
    caption = re.sub(r"<[^>]+>", "", figure.split("<figcaption>")[1]).split()
    assert " ".join(caption).endswith("لقاء في القصر (موقع رئاسة الجمهورية)")
    assert 'alt="حشد في ساحة"' in figure
    assert 'loading="lazy"' not in figure


@pytest.mark.django_db
def test_date_is_written_with_levantine_month_names(client, story):
    assert "15 آذار 2023" in client.get(story.get_absolute_url()).text


@pytest.mark.django_db
def test_egyptian_month_names_are_a_setting_away(client, story, settings):
    settings.NEWSROOM_ARABIC_MONTHS = "egyptian"
    assert "15 مارس 2023" in client.get(story.get_absolute_url()).text


@pytest.mark.django_db
def test_bylines_link_to_person_pages_in_order(client, story):
    html = client.get(story.get_absolute_url()).text
    first, second = html.index("/person/%D8%B3%D8%A7%D9%85%D8%B1"), html.index("/person/%D8%B1%D9%8A%D9%85")
    assert first < second
    assert client.get("/person/سامر-العلي/").status_code == 200


@pytest.mark.django_db
def test_page_has_tags_body_text_size_control_and_share_links(client, story):
    html = client.get(story.get_absolute_url()).text
    assert html.count('class="text-size__button"') == 3 and html.count(">ع</button>") == 3
    assert 'href="/tag/%D8%B3%D9%88%D8%B1%D9%8A%D8%A7/"' in html
    assert "<h2>خلفية</h2>" in html and "<strong>مهم</strong>" in html
    assert "wa.me/?text=" in html and "<script src=\"http" not in html


@pytest.mark.django_db
def test_support_box_shows_what_admins_wrote(client, story):
    SupportAppeal.objects.create(
        heading_ar="ادعم الصحافة المستقلة", text_ar="نحن مستقلون.",
        tagline_ar="دولار واحد شهريًا يصنع الفرق", button_label_ar="اضغط هنا للمساهمة",
        url_ar="https://example.org/donate",
    )
    html = client.get(story.get_absolute_url()).text
    assert "دولار واحد شهريًا يصنع الفرق" in html
    assert 'href="https://example.org/donate"' in html and "اضغط هنا للمساهمة" in html


@pytest.mark.django_db
def test_a_second_support_box_shown_to_readers_is_refused_until_the_first_is_hidden(client):
    from tests.factories import make_editor
    from tests.test_admin_flow import admin_form_data

    SupportAppeal.objects.create(heading_ar="الحملة الدائمة", text_ar="نص", button_label_ar="ساهم",
                                 url_ar="https://example.org/give")
    client.force_login(make_editor())
    add = "/admin/articles/supportappeal/add/"
    ramadan = admin_form_data(client, add, heading_ar="حملة رمضان", text_ar="نص", button_label_ar="ساهم",
                              url_ar="https://example.org/ramadan", is_active="on")

    refused = client.post(add, ramadan)

    assert refused.status_code == 200 and "أخفِه" in refused.text
    assert SupportAppeal.objects.count() == 1
    assert "أضف صندوق دعم" in client.get("/admin/articles/supportappeal/").text
    SupportAppeal.objects.update(is_active=False)
    assert client.post(add, ramadan).status_code == 302


@pytest.mark.django_db
def test_related_articles_put_hand_picked_first_then_shared_tags(client, story):
    older_sharing = make_article("خبر قديم عن دمشق", published=True, tags=["دمشق"],
                                 published_at=timezone.now() - timezone.timedelta(days=3))
    newer_sharing = make_article("خبر جديد عن سوريا", published=True, tags=["سوريا"])
    picked = make_article("خبر مختار يدويًا", published=True,
                          published_at=timezone.now() - timezone.timedelta(days=30))
    make_article("مسودة تشارك الوسم", tags=["سوريا"])
    make_article("خبر بلا صلة", published=True, tags=["رياضة"])
    story.related_articles.add(picked)
    html = client.get(story.get_absolute_url()).text
    related = html.split('id="related-heading"')[1]
    positions = [related.index(a.headline_ar) for a in (picked, newer_sharing, older_sharing)]
    assert positions == sorted(positions)
    assert "مسودة تشارك الوسم" not in related and "خبر بلا صلة" not in related


@pytest.mark.django_db
def test_wrong_or_old_slug_redirects_permanently_to_canonical_url(client, story):
    canonical = story.get_absolute_url()
    assert client.get(f"/article/{story.pk}/old-headline/").headers["Location"] == canonical
    assert client.get(f"/article/{story.pk}/").status_code == 301
    story.headline_ar = "عنوان جديد بعد التعديل"
    story.slug_ar = ""
    story.save()
    response = client.get(canonical)
    assert response.status_code == 301
    assert response.headers["Location"] == story.get_absolute_url() != canonical


@pytest.mark.django_db
def test_a_story_stored_without_a_slug_is_served_at_its_address_not_redirected_to_it(client, story):
    Article.objects.filter(pk=story.pk).update(slug_ar="")  # as an import or a hand-made fix might leave it
    story.refresh_from_db()

    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get(f"/article/{story.pk}/").headers["Location"] == story.get_absolute_url()


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["draft", "review", "future"])
def test_unpublished_articles_are_not_found(client, state):
    if state == "future":
        article = make_article(published=True, published_at=timezone.now() + timezone.timedelta(days=1))
    else:
        article = make_article()
        Article.objects.filter(pk=article.pk).update(status=state)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert article.headline_ar not in response.text


@pytest.mark.django_db
def test_not_found_page_is_arabic(client):
    response = client.get("/article/999999/x/")
    assert response.status_code == 404
    assert 'dir="rtl"' in response.text


@pytest.mark.django_db
def test_a_dead_link_leads_to_the_sections_and_the_other_editions_home(client, story):
    for address, other_home in (("/no-such-page/", 'href="/en/"'), ("/en/article/999999/x/", 'href="/"')):
        response = client.get(address)
        assert response.status_code == 404
        sections = response.text.split('<nav class="sections"')[1].split("</nav>")[0]
        assert f"/section/{quote(story.section.slug)}/" in sections
        assert other_home in response.text.split('class="languages"')[1].split("</nav>")[0]


@pytest.mark.django_db
def test_section_page_marks_its_section_in_navigation(client, story):
    html = client.get(story.section.get_absolute_url()).text
    assert 'aria-current="page">' + story.section.name_ar in html
    assert story.headline_ar in html


@pytest.mark.django_db
def test_tag_used_only_by_drafts_has_no_public_page(client):
    make_article(tags=["تحقيق سري"])
    assert client.get("/tag/تحقيق-سري/").status_code == 404


@pytest.mark.django_db
def test_english_page_prints_the_arabic_credit_when_no_english_one_exists(client):
    article = make_article(published=True, lead_photo=make_photo(credit="AFP"))
    article.headline_en, article.body_en = "Translated", "<p>Body</p>"
    article.save()
    from django.utils.translation import override

    with override("en"):
        url = article.get_absolute_url()
    assert "(<bdi>AFP</bdi>)" in client.get(url).text


@pytest.mark.django_db
def test_photographer_page_shows_credited_photos_in_fixed_queries(client, django_assert_max_num_queries):
    photographer = make_person("عدسة ليلى", slug="ليلى", role="photographer")
    for _ in range(5):
        make_article(published=True, lead_photo=make_photo(credit="", credit_person=photographer))
    with django_assert_max_num_queries(8):
        html = client.get("/person/ليلى/").text
    credit = f'(<bdi><a href="{photographer.get_absolute_url()}">عدسة ليلى</a></bdi>)'
    assert html.count(credit) == 5
