"""Issue 7, point 2: the XSS corpus (tests/xss_payloads.py) typed into every field a contributor or reader can
fill, through the real admin forms, and every page, feed, sitemap, JSON-LD block and admin list that shows it
checked: nothing from a payload becomes markup, and the pages stay well formed.

The payloads are batched (one article, photo, person and tag set carries several), so the whole corpus goes
through each field and each page once, in seconds.
"""

import json
import re
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Person, Photo, SupportAppeal, Tag
from articles.text import clean_body_html
from tests.factories import jpeg_bytes, make_article, make_section, make_user
from tests.test_admin_flow import admin_form_data, bylines
from tests.xss_payloads import NUL, PAYLOADS, VERY_LONG, _PageChecker, check_html, check_xml, pack

ARTICLE_ADD = "/admin/articles/article/add/"
PHOTO_ADD = "/admin/articles/photo/add/"
PERSON_ADD = "/admin/articles/person/add/"
TAG_ADD = "/admin/articles/tag/add/"
SUPPORT_ADD = "/admin/articles/supportappeal/add/"
ATOM = "{http://www.w3.org/2005/Atom}"


def form_errors(response):
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)


def saved(response):
    assert response.status_code == 302, form_errors(response) or response.content.decode()[:1500]


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("administrator"))
    return client


def publishable_tags(chunk):
    """Tag names from the chunk: the box splits on commas, so payloads holding one are left to other fields."""
    names = [text for text in chunk if len(text) <= 100 and not re.search("[,،]", text) and text.strip()]
    return pack(names, 500, separator=",")[:1]


def type_in_the_corpus(client):
    """Every payload in every field, saved through the admin as an administrator; the stories published."""
    section = make_section()
    headlines = pack(PAYLOADS, 250)
    count = len(headlines)
    credits, alt_texts, names = pack(PAYLOADS, 200), pack(PAYLOADS, 300), pack(PAYLOADS, 150)
    for number, headline in enumerate(headlines):
        chunk = PAYLOADS[number::count]
        text = "\n".join(chunk)
        saved(client.post(PHOTO_ADD, {
            "image": SimpleUploadedFile(f"p{number}.jpg", jpeg_bytes(), content_type="image/jpeg"),
            "caption_ar": text, "credit_ar": credits[number % len(credits)],
            "alt_text_ar": alt_texts[number % len(alt_texts)], "creator": credits[-1 - number % len(credits)],
        }))
        photo = Photo.objects.latest("pk")
        saved(client.post(PERSON_ADD, admin_form_data(
            client, PERSON_ADD, name_ar=names[number % len(names)], name_en=names[-1 - number % len(names)],
            slug=f"person-{number}", bio_ar=text, bio_en=text,
        )))
        person = Person.objects.latest("pk")
        saved(client.post(ARTICLE_ADD, admin_form_data(
            client, ARTICLE_ADD, headline_ar=headline, summary_ar=text, body_ar=text, section=str(section.pk),
            lead_photo=str(photo.pk), lead_photo_caption_ar=text, new_tags=(publishable_tags(chunk) or [""])[0],
            **bylines(person),
        )))
    for name in pack([text for text in PAYLOADS if "," not in text], 100, separator=" ")[:8]:
        saved(client.post(TAG_ADD, admin_form_data(client, TAG_ADD, name=name)))
    saved(client.post(SUPPORT_ADD, admin_form_data(
        client, SUPPORT_ADD, heading_ar=credits[0], text_ar="\n".join(PAYLOADS), tagline_ar=credits[1],
        button_label_ar=pack(PAYLOADS, 100)[0],
        url_ar="https://example.org/give?a=\"><script>alert('xss')</script>&b='x'",
    )))
    published_at = timezone.now() - timezone.timedelta(hours=2)
    for article in Article.objects.all():
        article.publish(by=None, at=published_at)
    return section


def pages_showing_the_corpus(section):
    """Every public address and admin list that prints something a payload went into."""
    today = timezone.localdate(timezone.now() - timezone.timedelta(hours=2))
    public = ["/", f"/section/{section.slug}/", f"/archive/{today.year}/", f"/archive/{today.year}/{today.month}/",
              f"/archive/{today.year}/{today.month}/{today.day}/", "/search/?q=alert", "/search/?q=xss"]
    public += [article.get_absolute_url() for article in Article.objects.all()]
    # Tags made in the tag list carry no story: they have no page, only the admin's list shows them.
    public += [tag.get_absolute_url() for tag in Tag.objects.filter(tagged_articles__isnull=False).distinct()]
    public += [reverse("person", kwargs={"slug": person.slug}) for person in Person.objects.all()]
    admin = ["/admin/", *(
        f"/admin/articles/{model}/" for model in ("article", "photo", "tag", "person", "supportappeal")
    ), "/admin/articles/article/?q=alert", "/admin/articles/photo/?q=alert"]
    admin += [reverse(f"admin:articles_{model._meta.model_name}_change", args=[model.objects.latest("pk").pk])
              for model in (Article, Photo, Person, Tag, SupportAppeal)]
    tag, person = Tag.objects.filter(tagged_articles__isnull=False).first(), Person.objects.first()
    feeds = ["/feed/", "/feed/atom/", f"/section/{section.slug}/feed/", f"{tag.get_absolute_url()}feed/",
             f"{reverse('person', kwargs={'slug': person.slug})}feed/", "/sitemap.xml", "/sitemap-news.xml"]
    return public, admin, feeds


def feed_html_problems(root, where):
    """RSS descriptions and Atom summaries are read as HTML by feed readers: their text must hold no markup."""
    problems = []
    for element in [*root.iter("description"), *root.iter(f"{ATOM}summary")]:
        checker = _PageChecker()
        checker.feed(element.text or "")
        problems += [f"{where} feed HTML: {problem}" for problem in checker.problems if "unbalanced" not in problem]
    return problems


@pytest.mark.django_db
def test_corpus_saved_through_the_admin_never_reaches_a_page_as_markup(admin_client):
    section = type_in_the_corpus(admin_client)
    assert Article.objects.published().count() >= 15
    assert Tag.objects.count() >= 10
    public, admin, feeds = pages_showing_the_corpus(section)

    problems = []
    for url in public + admin:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        problems += check_html(content, url)
        problems += [f"{url}: payload printed as it was typed: {text[:60]!r}"
                     for text in PAYLOADS if "<" in text and text in content]
    for url in feeds:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        problems += check_xml(response.content, url)
        problems += feed_html_problems(ElementTree.fromstring(response.content), url)
    assert not problems, "\n".join(problems[:40])


@pytest.mark.django_db
def test_json_ld_carries_hostile_headline_and_summary_as_data(client):
    hostile = "</script><script>alert(1)</script><!-- \u2028"
    article = make_article(hostile, published=True, summary_ar='"}]}</script><img src=x onerror=alert(1)>')

    content = client.get(article.get_absolute_url()).content.decode()

    assert not check_html(content)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)[1]
    data = json.loads(block)
    assert data["headline"] == hostile
    assert data["description"] == '"}]}</script><img src=x onerror=alert(1)>'


@pytest.mark.django_db
def test_every_payload_as_a_search_query_comes_back_escaped(client):
    make_article("خبر منشور", published=True)
    for text in PAYLOADS:
        response = client.get("/search/", {"q": text})
        assert response.status_code == 200, text
        assert not check_html(response.content.decode(), text)


@pytest.mark.django_db
def test_search_snippets_mark_matches_inside_hostile_text_without_markup(client):
    for text in PAYLOADS[:20]:
        make_article(f"خبر {text}", published=True, summary_ar=f"ملخص {text} نهاية")
    for query in ("alert", "script", "onerror", "xss", "ملخص"):
        content = client.get("/search/", {"q": query}).content.decode()
        assert "<mark>" in content, query
        assert not check_html(content, query)


@pytest.mark.django_db
def test_body_sanitiser_keeps_nothing_that_runs_from_any_payload():
    for text in PAYLOADS:
        cleaned = clean_body_html(text)
        assert not check_html(f"<div>{cleaned}</div>", text)
        # nh3 escapes every "<" of text, so a "<" here opens a real tag.
        assert not re.search(r"<(script|style|iframe|svg|math|object|embed|img)|<[^>]*(\son\w+=|javascript:)",
                             cleaned, re.I)


# What the forms refuse: a form error (the admin is Arabic), never a 500.


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["headline_ar", "summary_ar", "body_ar", "new_tags", "lead_photo_credit"])
def test_article_form_answers_a_nul_byte_with_a_form_error(admin_client, field):
    fields = {"headline_ar": "خبر", "section": str(make_section().pk)} | {field: NUL[1]}
    response = admin_client.post(ARTICLE_ADD, admin_form_data(admin_client, ARTICLE_ADD, **fields))

    assert response.status_code == 200
    assert form_errors(response)
    assert not Article.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "fields"), [
    (PHOTO_ADD, {"caption_ar": NUL[1], "credit_ar": "مصور"}),
    (PHOTO_ADD, {"alt_text_ar": NUL[1], "credit_ar": "مصور"}),
    (PERSON_ADD, {"name_ar": "اسم", "slug": "ism", "bio_ar": NUL[1]}),
    (TAG_ADD, {"name": NUL[1]}),
    (SUPPORT_ADD, {"heading_ar": NUL[1], "text_ar": "ادعمونا", "button_label_ar": "ادعم",
                   "url_ar": "https://example.org/"}),
])
def test_other_admin_forms_answer_a_nul_byte_with_a_form_error(admin_client, url, fields):
    data = admin_form_data(admin_client, url, **fields)
    if url == PHOTO_ADD:
        data["image"] = SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert form_errors(response)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "fields"), [
    (ARTICLE_ADD, {"headline_ar": VERY_LONG[1]}),
    (ARTICLE_ADD, {"headline_ar": "خبر", "slug_ar": "<script>alert(1)</script>"}),
    (ARTICLE_ADD, {"headline_ar": "خبر", "new_tags": VERY_LONG[1]}),
    (PHOTO_ADD, {"credit_ar": VERY_LONG[1]}),
    (PERSON_ADD, {"name_ar": "اسم", "slug": '"><svg onload=alert(1)>'}),
    (PERSON_ADD, {"name_ar": VERY_LONG[1], "slug": "ism"}),
    (TAG_ADD, {"name": VERY_LONG[1]}),
    (SUPPORT_ADD, {"heading_ar": "ادعمونا", "text_ar": "نص", "button_label_ar": "ادعم",
                   "url_ar": "javascript:alert(1)"}),
    (SUPPORT_ADD, {"heading_ar": "ادعمونا", "text_ar": "نص", "button_label_ar": "ادعم",
                   "url_ar": "data:text/html,<script>alert(1)</script>"}),
])
def test_values_no_field_takes_are_form_errors(admin_client, url, fields):
    data = admin_form_data(admin_client, url, **fields)
    if url == ARTICLE_ADD:
        data["section"] = str(make_section().pk)
    if url == PHOTO_ADD:
        data["image"] = SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    errors = form_errors(response)
    assert errors
    assert re.search("[\u0621-\u064a]", " ".join(errors)), errors  # the message is in Arabic
    assert not check_html(response.content.decode(), url)


@pytest.mark.django_db
def test_very_long_hostile_body_and_summary_are_saved_and_shown_as_text(admin_client):
    saved(admin_client.post(ARTICLE_ADD, admin_form_data(
        admin_client, ARTICLE_ADD, headline_ar="خبر طويل", summary_ar=VERY_LONG[1], body_ar=VERY_LONG[1],
        section=str(make_section().pk),
    )))
    article = Article.objects.get()
    assert article.body == "<p>" + "خ" * 20_000 + "</p>" or "onerror" not in article.body

    response = admin_client.get(reverse("article_preview", args=[article.pk]))

    assert response.status_code == 200
    assert not check_html(response.content.decode())


@pytest.mark.django_db
def test_support_box_address_saved_around_the_form_never_becomes_a_script_link(client):
    """A value the form refuses can still arrive from a shell or an import: the page must not link to it."""
    SupportAppeal.objects.create(heading_ar="ادعمونا", text_ar="نص", button_label_ar="ادعم",
                                 url_ar=" JaVa\tScRipt:alert(1)")
    article = make_article(published=True)

    content = client.get(article.get_absolute_url()).content.decode()

    assert "ادعمونا" not in content
    assert not check_html(content)
    SupportAppeal.objects.update(url_ar="https://example.org/give")
    assert "ادعمونا" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("text", [NUL[1], VERY_LONG[1][:300], "<script>alert(1)</script>", "%00", "\u202e"])
def test_hostile_slugs_in_addresses_are_not_found_never_a_500(client, text):
    for prefix in ("/tag/", "/section/", "/person/", "/article/1/"):
        response = client.get(prefix + text + "/")
        assert response.status_code == 404, prefix


@pytest.mark.django_db
def test_nul_byte_in_a_search_query_is_answered_not_a_500(client):
    response = client.get("/search/", {"q": NUL[1]})

    assert response.status_code in {200, 400}
    assert not check_html(response.content.decode())
