"""Library photos inside an article body: what the sanitiser keeps, what the model tracks, what readers see."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.db.models import ProtectedError
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import override

from articles.models import Article, InlinePhoto, Photo
from articles.text import clean_body_html, inline_photo_ids
from tests.factories import make_article, make_person, make_photo
from tests.test_admin_flow import admin_form_data, change_url, logged_in_editor


def figure(photo_id):
    return f'<figure data-photo-id="{photo_id}"></figure>'


# ---- The sanitiser: an inline photo is an empty figure with a numeric id, and nothing more. ----

HOSTILE = {
    "script inside the figure": ('<figure data-photo-id="7"><script>alert(1)</script></figure>', figure(7)),
    "event handler on the figure": ('<figure data-photo-id="7" onerror="alert(1)"></figure>', figure(7)),
    "handler smuggled into the id": ('<figure data-photo-id="7 onerror=alert(1)"></figure><p>ن</p>', "<p>ن</p>"),
    "quote breaking out of the id": ('<figure data-photo-id=\'7" onload="alert(1)\'></figure>', ""),
    "javascript: image in the figure": ('<figure data-photo-id="7"><img src="javascript:x()"></figure>', figure(7)),
    "image with onerror in the figure": ('<figure data-photo-id="7"><img src=x onerror="x()"></figure>', figure(7)),
    "nested figures": (
        '<figure data-photo-id="7"><figure data-photo-id="8"><script>x</script></figure></figure>', figure(7),
    ),
    "id that is not a number": ('<figure data-photo-id="x">نص</figure><p>بعد</p>', "<p>بعد</p>"),
    "figure without an id": ('<figure><img src="https://evil.example/x.jpg"><figcaption>نص</figcaption></figure>', ""),
    "figcaption with a script": (
        '<figure data-photo-id="7"><figcaption>تعليق<script>alert(1)</script></figcaption></figure>', figure(7),
    ),
    "style, class and other data attributes": (
        '<figure data-photo-id="7" style="background:url(javascript:x)" class="evil" data-x="1"></figure>', figure(7),
    ),
    "upper-case markup": ('<FIGURE DATA-PHOTO-ID="7" ONERROR="alert(1)">نص</FIGURE>', figure(7)),
    "id with leading zeros": ('<figure data-photo-id="007"></figure>', figure(7)),
    "id with spaces": ('<figure data-photo-id=" 7 "></figure>', ""),
    "id in Arabic-Indic digits": ('<figure data-photo-id="٧"></figure>', ""),
    "id past any primary key": ('<figure data-photo-id="9999999999999999999999"></figure>', ""),
    "figure inside a heading": ('<h2>عنوان<figure data-photo-id="7"></figure></h2>', "<h2>عنوان</h2>"),
    "figure inside a link": (
        '<a href="https://example.org/"><figure data-photo-id="7"></figure>رابط</a>',
        '<a href="https://example.org/" rel="noopener noreferrer">رابط</a>',
    ),
    "svg with a script in the figure": ('<figure data-photo-id="7"><svg><script>x</script></svg></figure>', figure(7)),
}


@pytest.mark.parametrize(("dirty", "clean"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_inline_photo_markup_is_reduced_to_an_empty_figure_or_removed(dirty, clean):
    cleaned = clean_body_html(dirty)
    assert cleaned == clean
    assert clean_body_html(cleaned) == cleaned


def test_a_figure_inside_a_paragraph_ends_the_paragraph_and_stays_well_formed():
    # html5ever closes a <p> when a <figure> starts, as browsers do: the figure stands between two blocks.
    cleaned = clean_body_html('<p>قبل<figure data-photo-id="12"><img src="x"></figure>بعد</p>')
    assert cleaned == f"<p>قبل</p>{figure(12)}بعد<p></p>"
    assert clean_body_html(cleaned) == cleaned


def test_figures_in_quotations_and_list_items_are_kept():
    html = f"<blockquote>{figure(3)}</blockquote><ul><li><p>بند</p>{figure(4)}</li></ul>"
    assert clean_body_html(html) == html


def test_the_editor_preview_image_is_dropped_on_save():
    editor_html = '<p>نص</p><figure data-photo-id="5"><img src="/admin/articles/photo/5/thumbnail/" alt=""></figure>'
    assert clean_body_html(editor_html) == f"<p>نص</p>{figure(5)}"


def test_a_body_holding_only_a_photo_is_not_empty():
    assert clean_body_html(figure(5)) == figure(5)


def test_inline_photo_ids_are_in_order_of_appearance_and_unique():
    html = f'{figure(9)}<p>نص</p>{figure(2)}<figure data-photo-id="x"></figure>{figure(9)}<h2>{figure(4)}</h2>'
    html += figure(3)
    assert inline_photo_ids(html) == [9, 2, 3]
    assert inline_photo_ids("") == []


# ---- The model: the InlinePhoto rows follow the body, and the checklist reads them. ----


@pytest.mark.django_db
def test_saving_keeps_inline_photos_in_step_with_every_language_and_ignores_unknown_ids():
    first, second, third = make_photo(), make_photo(), make_photo()
    article = make_article(body_ar=f"<p>نص</p>{figure(first.pk)}{figure(999999)}")
    article.body_en = f"<p>Text</p>{figure(second.pk)}"
    article.save()
    assert set(article.inline_photos.all()) == {first, second}

    article.body_ar = f"<p>نص</p>{figure(third.pk)}"
    article.save()
    assert set(article.inline_photos.all()) == {second, third}
    assert InlinePhoto.objects.filter(photo=first).count() == 0


@pytest.mark.django_db
def test_saving_other_fields_only_leaves_inline_photos_alone():
    photo = make_photo()
    article = make_article(body_ar=figure(photo.pk))
    article.submit_for_review(by=None)
    assert list(article.inline_photos.all()) == [photo]


@pytest.mark.django_db
def test_a_photo_used_inline_cannot_be_deleted():
    photo = make_photo()
    make_article(body_ar=f"<p>نص</p>{figure(photo.pk)}")
    with pytest.raises(ProtectedError):
        photo.delete()
    assert Photo.objects.filter(pk=photo.pk).exists()


@pytest.mark.django_db
def test_a_photo_removed_from_the_body_can_be_deleted_again():
    photo = make_photo()
    article = make_article(body_ar=f"<p>نص</p>{figure(photo.pk)}")
    article.body_ar = "<p>نص</p>"
    article.save()
    photo.delete()
    assert not Photo.objects.filter(pk=photo.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["caption", "credit", "alt_text"])
def test_publish_refuses_an_inline_photo_lacking_caption_credit_or_alt_text(missing):
    complete = make_photo(caption="صورة كاملة")
    incomplete = make_photo(**{"caption": "مخيم للنازحين", "credit": "عدسة رامي", "alt_text": "خيام", missing: ""})
    article = make_article(body_ar=f"<p>نص</p>{figure(complete.pk)}<p>نص</p>{figure(incomplete.pk)}")

    blockers = [str(blocker) for blocker in article.publish_blockers()]

    assert len(blockers) == 1
    assert "2" in blockers[0] and str(incomplete) in blockers[0]
    with pytest.raises(Exception, match=re.escape(str(incomplete))):
        article.publish(by=None)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_publish_accepts_an_inline_photo_credited_to_a_staff_photographer():
    photographer = make_person("ليلى حسن")
    photo = make_photo(credit="", credit_person=photographer)
    article = make_article(body_ar=f"<p>نص</p>{figure(photo.pk)}")
    assert article.publish_blockers() == []
    article.publish(by=None)
    assert article.status == Article.Status.PUBLISHED


# ---- Readers: each inline photo becomes a credited, responsive figure, at a fixed query cost. ----


class _Body(HTMLParser):
    """The story body's figures: for each, its img attributes, its caption text and whether it is in the body."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # > 0 inside <div class="story__body">
        self.figures = []
        self.in_caption = False

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, closed=True)

    def handle_starttag(self, tag, attrs, closed=False):
        attrs = dict(attrs)
        if self.depth:
            self.depth += not closed and tag not in {"img", "source", "br", "hr", "input", "wbr"}
        elif tag == "div" and "story__body" in (attrs.get("class") or "").split():
            self.depth = 1
            return
        if not self.depth:
            return
        if tag == "figure":
            self.figures.append({"img": None, "caption": ""})
        elif tag == "img" and self.figures:
            self.figures[-1]["img"] = attrs
        elif tag == "figcaption":
            self.in_caption = True

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
        if tag == "figcaption":
            self.in_caption = False

    def handle_data(self, data):
        if self.depth and self.in_caption and self.figures:
            self.figures[-1]["caption"] += data


def body_figures(response):
    assert response.status_code == 200
    parser = _Body()
    parser.feed(response.content.decode())
    return parser.figures


@pytest.mark.django_db
def test_reader_sees_inline_photo_with_caption_credit_and_lazy_sized_image(client):
    photo = make_photo(caption="مخيم للنازحين قرب إدلب", credit="عدسة رامي السيد", alt_text="خيام تحت المطر")
    article = make_article(published=True, body_ar=f"<p>قبل</p>{figure(photo.pk)}<p>بعد</p>")

    figures = body_figures(client.get(article.get_absolute_url()))

    assert len(figures) == 1
    caption = " ".join(figures[0]["caption"].split())
    assert "مخيم للنازحين قرب إدلب" in caption
    assert "(عدسة رامي السيد)" in caption
    img = figures[0]["img"]
    assert img["alt"] == "خيام تحت المطر"
    assert int(img["width"]) > 0 and int(img["height"]) > 0
    assert img["loading"] == "lazy"


@pytest.mark.django_db
def test_inline_photo_credit_names_the_staff_photographer(client):
    photographer = make_person("ليلى حسن")
    photo = make_photo(credit="", credit_person=photographer)
    article = make_article(published=True, body_ar=f"<p>نص</p>{figure(photo.pk)}")

    figures = body_figures(client.get(article.get_absolute_url()))

    assert "(ليلى حسن)" in " ".join(figures[0]["caption"].split())


@pytest.mark.django_db
def test_inline_photo_whose_photo_is_gone_renders_nothing(client):
    article = make_article(published=True, body_ar="<p>نص</p>")
    # Written around save(), as a bulk import or a hand-edited row could.
    Article.objects.filter(pk=article.pk).update(body_ar=f"<p>نص</p>{figure(424242)}")

    response = client.get(article.get_absolute_url())

    assert body_figures(response) == []
    assert "424242" not in response.content.decode()


@pytest.mark.django_db
def test_body_written_around_save_is_still_sanitised_before_it_is_marked_safe(client):
    article = make_article(published=True, body_ar="<p>نص</p>")
    Article.objects.filter(pk=article.pk).update(
        body_ar='<p>نص</p><script>alert(1)</script>'
        '<figure data-photo-id="1" onload="alert(2)"><img src=x onerror=alert(3)></figure>'
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "alert(" not in html


@pytest.mark.django_db
def test_english_edition_shows_the_photos_placed_in_the_english_body(client):
    photo = make_photo(caption="قافلة مساعدات", credit="عدسة سامر")
    photo.caption_en = "An aid convoy"
    photo.save()
    article = make_article(published=True)
    article.headline_en, article.body_en = "Aid arrives", f"<p>Text</p>{figure(photo.pk)}"
    article.save()

    with override("en"):
        figures = body_figures(client.get(article.get_absolute_url()))

    assert len(figures) == 1
    assert "An aid convoy" in figures[0]["caption"]


def article_with_inline_photos(count):
    photos = [make_photo(credit_person=make_person()) for _ in range(count)]
    body = "".join(f"<p>فقرة {number}</p>{figure(photo.pk)}" for number, photo in enumerate(photos))
    return make_article(published=True, body_ar=body)


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_article_page_costs_the_same_queries_with_one_or_five_inline_photos(client, django_assert_max_num_queries):
    one, five = article_with_inline_photos(1), article_with_inline_photos(5)
    assert len(body_figures(client.get(five.get_absolute_url()))) == 5

    with django_assert_max_num_queries(8):
        client.get(five.get_absolute_url())
    assert query_count(client, one.get_absolute_url()) == query_count(client, five.get_absolute_url())


# ---- The editor: the Photo extension is configured, its script is served, and what it posts is stored clean. ----


def prose_editor_config(html):
    match = re.search(r'data-django-prose-editor-configurable="([^"]*)"', html)
    assert match, "the body editor is not on the page"
    return json.loads(match[1].replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


@pytest.mark.django_db
def test_article_form_offers_the_photo_extension_with_admin_addresses_and_its_script(client):
    logged_in_editor(client)
    response = client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 200

    config = prose_editor_config(response.content.decode())
    photo_config = config["extensions"]["Photo"]
    assert photo_config["thumbnailUrl"] == reverse("admin:articles_photo_thumbnail", args=[0])
    assert photo_config["searchUrl"].startswith(reverse("admin:autocomplete") + "?")
    assert photo_config["labels"]["insert"]
    assert photo_config["stylesheet"] == static("css/editor-photo.css")
    assert static("js/editor-photo.js") in config["js_modules"]


def test_editor_photo_script_and_stylesheet_are_served_from_the_site():
    script = finders.find("js/editor-photo.js")
    assert script and finders.find("css/editor-photo.css")
    with open(script, encoding="utf-8") as source:
        imports = re.findall(r'^import .* from "([^"]+)"', source.read(), flags=re.MULTILINE)
    assert imports == ["django-prose-editor/editor"]


@pytest.mark.django_db
def test_the_editor_search_address_finds_library_photos_and_their_thumbnails(client):
    logged_in_editor(client)
    wanted = make_photo(caption="قلعة حلب عند الغروب")
    make_photo(caption="سوق الحميدية")
    photo_config = prose_editor_config(client.get(reverse("admin:articles_article_add")).content.decode())[
        "extensions"
    ]["Photo"]

    results = client.get(f"{photo_config['searchUrl']}&{urlencode({'term': 'قلعة'})}").json()["results"]

    assert [result["id"] for result in results] == [str(wanted.pk)]
    thumbnail = photo_config["thumbnailUrl"].replace("/0/", f"/{wanted.pk}/")
    assert client.get(thumbnail).status_code in {200, 302}


@pytest.mark.django_db
def test_body_posted_by_the_editor_is_stored_as_an_empty_figure_and_tracked(client):
    logged_in_editor(client)
    photo = make_photo()
    article = make_article()
    editor_html = (
        f'<p>نص</p><figure data-photo-id="{photo.pk}"><img src="/admin/articles/photo/{photo.pk}/thumbnail/" '
        'alt="صورة من المكتبة"></figure><p>تتمة</p>'
    )

    response = client.post(change_url(article), admin_form_data(client, change_url(article), body_ar=editor_html))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body_ar == f"<p>نص</p>{figure(photo.pk)}<p>تتمة</p>"
    assert list(article.inline_photos.all()) == [photo]


@pytest.mark.django_db
def test_a_body_placing_a_photo_the_library_lacks_is_a_form_error_and_keeps_the_text(client):
    from django.urls import reverse

    from tests.factories import make_editor
    from tests.test_admin_flow import admin_form_data

    client.force_login(make_editor())
    story = make_article("خبر")
    url = reverse("admin:articles_article_change", args=[story.pk])
    body = '<p>نص جديد.</p><figure data-photo-id="999999"></figure>'

    refused = client.post(url, admin_form_data(client, url, body_ar=body))

    assert refused.status_code == 200
    assert "999999" in " ".join(refused.context["adminform"].form.errors["body_ar"])
    story.refresh_from_db()
    assert "نص جديد" not in story.body_ar
