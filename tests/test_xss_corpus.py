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
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from reversion.models import Version

from articles.models import Article, Person, Photo, SupportAppeal, Tag
from articles.text import clean_body_html
from tests.factories import jpeg_bytes, make_article, make_section, make_user, sitemap_page
from tests.test_admin_flow import admin_form_data, bylines
from tests.xss_payloads import NUL, PAYLOADS, VERY_LONG, _PageChecker, check_html, check_xml, pack, payload

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


def spread(limit):
    """The whole corpus in strings of at most ``limit`` characters: one field of one object each."""
    return pack(PAYLOADS, limit)


def assert_every_payload_in(values):
    text = "\n".join(values)
    assert all(payload in text for payload in PAYLOADS)


def type_in_the_corpus(client):
    """Every payload in every field, saved through the admin as an administrator; the stories published.

    Each field's values are the whole corpus packed to that field's limit, so a field with a short limit gets
    more objects: a person per 150-character name, a tag per 100-character name, a support box per button label.
    Long text fields (summary, body, caption, bio) get the whole corpus in each object.
    """
    section = make_section()
    everything = "\n".join(PAYLOADS)
    names = spread(150)
    people = []
    for number, name in enumerate(names):
        saved(client.post(PERSON_ADD, admin_form_data(
            client, PERSON_ADD, name_ar=name, name_en=names[-1 - number], slug=f"person-{number}",
            bio_ar=everything, bio_en=everything,
        )))
        people.append(Person.objects.latest("pk"))
    credits, alt_texts = spread(200), spread(300)
    photos = []
    for number, credit in enumerate(credits):
        saved(client.post(PHOTO_ADD, {
            "image": SimpleUploadedFile(f"p{number}.jpg", jpeg_bytes(), content_type="image/jpeg"),
            "caption_ar": everything, "caption_en": everything, "credit_ar": credit, "credit_en": credit,
            "creator": credits[-1 - number], "alt_text_ar": alt_texts[number % len(alt_texts)],
            "alt_text_en": alt_texts[number % len(alt_texts)],
        }))
        photos.append(Photo.objects.latest("pk"))
    # Tags typed in the tag list first: a name the article's tag box repeats then finds the tag made here.
    for name in spread(100):
        saved(client.post(TAG_ADD, admin_form_data(client, TAG_ADD, name_ar=name, name_en=name)))
    # The tag box splits on commas: a payload holding one arrives as two tags, as it would for an editor.
    tag_boxes = pack(PAYLOADS, 500, separator=",")
    headlines = spread(250)
    for number in range(max(len(headlines), len(tag_boxes))):
        headline = headlines[number % len(headlines)]
        saved(client.post(ARTICLE_ADD, admin_form_data(
            client, ARTICLE_ADD, headline_ar=headline, headline_en=headline, summary_ar=everything,
            summary_en=everything, body_ar=everything, body_en=everything, section=str(section.pk),
            lead_photo=str(photos[number % len(photos)].pk), lead_photo_caption_ar=everything,
            lead_photo_caption_en=everything, new_tags=tag_boxes[number] if number < len(tag_boxes) else "",
            **bylines(people[number % len(people)]),
        )))
    headings, labels = spread(200), spread(100)
    for number, label in enumerate(labels):
        saved(client.post(SUPPORT_ADD, admin_form_data(
            client, SUPPORT_ADD, heading_ar=headings[number % len(headings)], text_ar=everything,
            tagline_ar=headings[-1 - number % len(headings)], button_label_ar=label,
            url_ar="https://example.org/give?a=\"><script>alert('xss')</script>&b='x'",
            is_active="on" if number == 0 else "",  # pages show one box; the others are checked in the admin
        )))
    for values in (names, credits, alt_texts, headlines, tag_boxes, headings, labels):
        assert_every_payload_in(values)
    published_at = timezone.now() - timezone.timedelta(hours=2)
    for article in Article.objects.all():
        article.publish(by=None, at=published_at)
    return section


def revise_with_other_payloads(client, article):
    """A second revision whose headline and body differ from the first by payloads: the compare page's diff."""
    change = reverse("admin:articles_article_change", args=[article.pk])
    saved(client.post(change, admin_form_data(
        client, change, headline_ar=spread(250)[-1], body_ar="\n".join(reversed(PAYLOADS)),
        summary_ar="\n".join(PAYLOADS[::2]),
    )))
    first, second = sorted(Version.objects.get_for_object(article).values_list("revision_id", flat=True))[-2:]
    return [reverse("admin:articles_article_history", args=[article.pk]),
            reverse("admin:articles_article_compare", args=[article.pk]) + f"?from={first}&to={second}",
            reverse("admin:articles_article_compare", args=[article.pk]) + f"?from={first}"]


def pages_showing_the_corpus(section):
    """Every public address (both editions) and admin list that prints something a payload went into."""
    today = timezone.localdate(timezone.now() - timezone.timedelta(hours=2))
    public = ["/", f"/section/{section.slug}/", f"/archive/{today.year}/", f"/archive/{today.year}/{today.month}/",
              f"/archive/{today.year}/{today.month}/{today.day}/", "/search/?q=alert", "/search/?q=xss"]
    tags = Tag.objects.filter(tagged_articles__isnull=False).distinct()
    for language in ("ar", "en"):
        with translation.override(language):
            public += [article.get_absolute_url() for article in Article.objects.all()]
            # Tags made in the tag list carry no story: they have no page, only the admin's list shows them. Those
            # the article's tag box made have no English name, so no English page.
            public += [tag.get_absolute_url() for tag in Tag.objects.shown_in(language)]
            # A person has a page in an edition once its readers see something of theirs.
            public += [reverse("person", kwargs={"slug": person.slug}) for person in Person.objects.shown_in(language)]
            public.append(reverse("home"))
    admin = ["/admin/", *(
        f"/admin/articles/{model}/" for model in ("article", "photo", "tag", "person", "supportappeal", "auditentry")
    ), "/admin/articles/article/?q=alert", "/admin/articles/photo/?q=alert"]
    admin += [reverse(f"admin:articles_{model._meta.model_name}_change", args=[model.objects.latest("pk").pk])
              for model in (Article, Photo, Person, Tag)]
    admin += [reverse("admin:articles_supportappeal_change", args=[pk])
              for pk in SupportAppeal.objects.values_list("pk", flat=True)]
    tag, person = tags.first(), Person.objects.first()
    feeds = ["/feed/", "/feed/atom/", f"/section/{section.slug}/feed/", f"{tag.get_absolute_url()}feed/",
             f"{reverse('person', kwargs={'slug': person.slug})}feed/", "/sitemap.xml", "/sitemap-news.xml",
             "/sitemap-sections.xml"]
    # The pages of the block-paged sitemaps that list the corpus's stories, tags and people.
    for kind, rows in (("articles", Article.objects.all()), ("tags", tags), ("people", Person.objects.all())):
        feeds += sorted({sitemap_page(kind, row.pk) for row in rows})
    return sorted(set(public)), admin, feeds


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
    assert Tag.objects.count() >= 60
    public, admin, feeds = pages_showing_the_corpus(section)
    admin += revise_with_other_payloads(admin_client, Article.objects.earliest("pk"))
    assert any(url.startswith("/en/") for url in public)
    assert any(url.startswith("/person/") for url in public) and any(url.startswith("/en/person/") for url in public)

    problems = []
    for url in public + admin:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        problems += check_html(response, url)
        if "/history/compare/" in url:
            assert "<ins>" in content and "&lt;script&gt;" in content, url  # the diff shows payloads, as text
        problems += [f"{url}: payload printed as it was typed: {text[:60]!r}"
                     for text in PAYLOADS if "<" in text and text in content]
    for url in feeds:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        problems += check_xml(response.content, url)
        problems += feed_html_problems(ElementTree.fromstring(response.content), url)
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("name", ["script-nonce", "style-nonce", "iframe-nonce"])
def test_page_checker_flags_an_element_whose_nonce_is_not_the_responses(name):
    page = f'<html><head></head><body><script nonce="r4nd0m">ours()</script>{payload(name)}</body></html>'

    assert check_html(page)  # a string carries no nonce: no inline script is ours
    response = HttpResponse(page, headers={"Content-Security-Policy": "script-src 'self' 'nonce-r4nd0m'"})
    assert any("not this response's" in problem for problem in check_html(response)), check_html(response)
    without_payload = HttpResponse(page.replace(payload(name), ""), headers=response.headers)
    assert not check_html(without_payload)


@pytest.mark.django_db
def test_json_ld_carries_hostile_headline_and_summary_as_data(client):
    hostile = "</script><script>alert(1)</script><!-- \u2028"
    article = make_article(hostile, published=True, summary_ar='"}]}</script><img src=x onerror=alert(1)>')

    response = client.get(article.get_absolute_url())
    content = response.content.decode()

    assert not check_html(response)
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
        assert not check_html(response, text)


@pytest.mark.django_db
def test_search_snippets_mark_matches_inside_hostile_text_without_markup(client):
    for text in PAYLOADS[:20]:
        make_article(f"خبر {text}", published=True, summary_ar=f"ملخص {text} نهاية")
    for query in ("alert", "script", "onerror", "xss", "ملخص"):
        response = client.get("/search/", {"q": query})
        assert "<mark>" in response.content.decode(), query
        assert not check_html(response, query)


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
    assert not check_html(response, url)


@pytest.mark.django_db
def test_very_long_hostile_body_and_summary_are_saved_and_shown_as_text(admin_client):
    saved(admin_client.post(ARTICLE_ADD, admin_form_data(
        admin_client, ARTICLE_ADD, headline_ar="خبر طويل", summary_ar=VERY_LONG[1], body_ar=VERY_LONG[1],
        section=str(make_section().pk),
    )))
    article = Article.objects.get()
    # The image and its handler are dropped by the sanitiser; the text is kept whole.
    assert article.body == "خ" * 20_000
    assert article.summary == VERY_LONG[1]  # plain text, escaped where it is shown

    response = admin_client.get(reverse("article_preview", args=[article.pk]))

    assert response.status_code == 200
    assert not check_html(response)


@pytest.mark.django_db
def test_support_box_address_saved_around_the_form_never_becomes_a_script_link(client):
    """A value the form refuses can still arrive from a shell or an import: the page must not link to it."""
    SupportAppeal.objects.create(heading_ar="ادعمونا", text_ar="نص", button_label_ar="ادعم",
                                 url_ar=" JaVa\tScRipt:alert(1)")
    article = make_article(published=True)

    response = client.get(article.get_absolute_url())

    assert "ادعمونا" not in response.content.decode()
    assert not check_html(response)
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
    assert not check_html(response)
