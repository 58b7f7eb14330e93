"""The ninjs feed for partners (/api/ninjs/): published stories only, as valid IPTC ninjs 2.1 items."""

import datetime
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from reversion.models import Version

from articles.audit import AuditEntry
from articles.history import article_restore, revision
from articles.models import Article, Photo
from articles.ninjs import PAGE_SIZE
from articles.renditions import ensure_renditions
from tests.concurrency import run_at_once
from tests.test_admin_flow import admin_form_data, change_url, logged_in_editor

from .factories import image_upload, make_article, make_editor, make_person, make_photo, make_section

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "ninjs-2.schema.json").read_text())

# jsonschema checks "uri" and "date-time" only with optional packages; these two say what the feed promises.
formats = FormatChecker(formats=())


@formats.checks("uri")
def is_absolute_uri(value):
    parts = urlsplit(value)
    return value.isascii() and " " not in value and bool(parts.scheme) and bool(parts.netloc or parts.scheme == "tag")


@formats.checks("date-time", raises=ValueError)
def is_date_time_with_offset(value):
    return "T" in value and datetime.datetime.fromisoformat(value).tzinfo is not None


VALIDATOR = Draft202012Validator(SCHEMA, format_checker=formats)


def assert_valid(payload):
    for item in payload["items"]:
        errors = sorted(VALIDATOR.iter_errors(item), key=str)
        assert not errors, [f"{list(error.absolute_path)}: {error.message}" for error in errors]


def get_feed(client, address="/api/ninjs/", status=200):
    response = client.get(address)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    payload = response.json()
    if status == 200:
        assert_valid(payload)
    return response, payload


def large_photo(caption, credit, alt_text="وصف الصورة", **fields):
    """A photo large enough for every rendition width up to 800, with its renditions made."""
    photo = Photo(caption_ar=caption, credit_ar=credit, alt_text_ar=alt_text, **fields)
    photo.image.save("large.jpg", image_upload(width=1000, height=750), save=False)
    photo.save()
    ensure_renditions(photo)
    return photo


def full_story(**fields):
    """A published story with everything the feed shows: two authors, tags, a lead photo with its renditions and
    a copyright notice, a summary and a photo in the body."""
    lead = large_photo("جنود على الحدود", "وكالة الأنباء", copyright_notice="© 2026 وكالة الأنباء")
    inline = large_photo("سوق دمشق القديمة", "ريم الحلبي", alt_text="باعة في السوق")
    return make_article(
        "اتفاق على وقف إطلاق النار", published=True, lead_photo=lead, tags=("سوريا", "سياسة"),
        authors=[make_person("سامر العلي"), make_person("ريم الحلبي")],
        summary_ar="ملخص «الاتفاق» باختصار.",
        body_ar=f'<p>نص الخبر الكامل.</p><figure data-photo-id="{inline.pk}"></figure><p>فقرة أخيرة.</p>',
        **fields,
    )


def test_items_are_valid_ninjs_and_carry_the_story(client):
    story = full_story()

    _response, payload = get_feed(client)

    [item] = payload["items"]
    assert item["uri"] == f"http://testserver/article/{story.pk}/"
    assert item["type"] == "text" and item["pubstatus"] == "usable" and item["language"] == "ar"
    assert item["version"] == str(story.version)
    assert item["headlines"] == [{"role": "main", "value": "اتفاق على وقف إطلاق النار"}]
    assert item["descriptions"][0]["value"] == "ملخص «الاتفاق» باختصار."
    assert item["by"] == "سامر العلي، ريم الحلبي"
    assert [person["name"] for person in item["people"]] == ["سامر العلي", "ريم الحلبي"]
    assert all(person["uri"].startswith("http://testserver/person/") for person in item["people"])
    assert {subject["name"] for subject in item["subjects"]} == {"سوريا", "سياسة"}
    assert all(subject["uri"].startswith("http://testserver/tag/") for subject in item["subjects"])
    assert datetime.datetime.fromisoformat(item["firstcreated"]) == story.published_at


def test_body_is_the_readers_html_with_inline_photos_as_absolute_figures(client):
    full_story()

    [item] = get_feed(client)[1]["items"]

    [body] = item["bodies"]
    assert body["contenttype"] == "text/html"
    assert body["value"].startswith("<p>نص الخبر الكامل.</p><figure><img src=\"http://testserver/media/renditions/")
    assert 'alt="باعة في السوق"' in body["value"]
    assert "<figcaption>سوق دمشق القديمة <small>(ريم الحلبي)</small></figcaption>" in body["value"]
    assert "data-photo-id" not in body["value"]


def test_lead_photo_is_an_associated_picture_with_caption_credit_and_renditions(client):
    story = full_story(lead_photo_caption="تعليق خاص بهذا الخبر")

    [item] = get_feed(client)[1]["items"]

    [picture] = item["associations"]
    assert picture["type"] == "picture" and picture["name"] == "featureimage"
    assert picture["uri"] == f"tag:testserver,{story.lead_photo.uploaded_at:%Y}:photo:{story.lead_photo.pk}"
    assert {"role": "caption", "contenttype": "text/plain", "value": "تعليق خاص بهذا الخبر"} in picture["descriptions"]
    assert picture["by"] == "وكالة الأنباء"
    # The file's notice stays in the library: a camera writes its owner's real name there.
    assert "copyrightnotice" not in picture and "© 2026" not in json.dumps(item, ensure_ascii=False)
    assert "ednote" not in picture
    renditions = picture["renditions"]
    assert {rendition["contenttype"] for rendition in renditions} == {"image/jpeg", "image/webp"}
    assert {rendition["name"] for rendition in renditions} >= {
        "thumbnail-240-jpeg", "thumbnail-240-webp", "card-400-jpeg", "card-800-webp", "article-720-jpeg",
        "hero-960-webp", "social-1200-jpeg",
    }
    for rendition in renditions:
        assert rendition["href"].startswith("http://testserver/media/renditions/")
        assert rendition["width"] > 0 and rendition["height"] > 0
    sizes = {rendition["name"]: (rendition["width"], rendition["height"]) for rendition in renditions}
    assert sizes["thumbnail-240-jpeg"] == (240, 240) and sizes["card-800-webp"] == (800, 450)
    assert sizes["social-1200-jpeg"] == (1200, 630)


def test_photo_without_renditions_yet_is_offered_as_its_original(client):
    story = make_article(published=True)

    [picture] = get_feed(client)[1]["items"][0]["associations"]

    assert picture["renditions"] == [{
        "name": "original", "href": f"http://testserver{story.lead_photo.image.url}",
        "width": story.lead_photo.width, "height": story.lead_photo.height,
    }]


def test_sensitive_photos_carry_a_warning_or_stay_out_of_the_body(client):
    lead, inline = make_photo(is_sensitive=True), make_photo(is_sensitive=True)
    make_article(published=True, lead_photo=lead, body_ar=f'<p>نص.</p><figure data-photo-id="{inline.pk}"></figure>')

    [item] = get_feed(client)[1]["items"]

    assert item["associations"][0]["ednote"]
    assert item["bodies"][0]["value"] == "<p>نص.</p>"


def test_story_without_photo_tags_summary_or_authors_is_still_valid(client, settings):
    settings.NEWSROOM_REQUIRE_LEAD_PHOTO = False
    story = make_article(published=True, lead_photo=None, summary_ar="")
    story.authors.clear()

    [item] = get_feed(client)[1]["items"]

    assert not {"associations", "subjects", "descriptions", "people", "by"} & item.keys()


def hidden_stories():
    """One story in every state readers may not see."""
    draft = make_article("مسودة سرية")
    review = make_article("خبر قيد المراجعة", status=Article.Status.IN_REVIEW)
    scheduled = make_article("خبر مجدول")
    scheduled.publish(by=None, at=timezone.now() + timezone.timedelta(hours=2))
    trashed = make_article("خبر في سلة المهملات", published=True)
    trashed.move_to_trash(by=None)
    withdrawn = make_article("خبر سحب", published=True)
    withdrawn.unpublish(by=None)
    return [draft, review, scheduled, trashed, withdrawn]


@pytest.mark.parametrize("address", [
    "/api/ninjs/", "/api/ninjs/?since=2000-01-01", "/en/api/ninjs/", "/en/api/ninjs/?since=2000-01-01",
])
def test_drafts_scheduled_trashed_and_withdrawn_stories_never_appear_with_their_text(client, address):
    visible = make_article("خبر منشور", published=True, headline_en="Published", body_en="<p>Text.</p>")
    draft, review, scheduled, trashed, withdrawn = hidden_stories()
    for story in (draft, review, scheduled, trashed, withdrawn):
        story.headline_en, story.body_en = "Hidden", "<p>Hidden.</p>"
        story.save()

    response, payload = get_feed(client, address)

    usable = [item["uri"].rsplit("/", 2)[-2] for item in payload["items"] if item["pubstatus"] == "usable"]
    assert usable == [str(visible.pk)]
    canceled = {item["uri"].rsplit("/", 2)[-2] for item in payload["items"] if item["pubstatus"] == "canceled"}
    # What changed since a moment includes the stories that left the site then; the pages of what readers see
    # now do not. Drafts, stories in review and scheduled ones were never sent, so never taken back.
    assert canceled == ({str(trashed.pk), str(withdrawn.pk)} if "since" in address else set())
    for hidden in ("مسودة", "مراجعة", "مجدول", "سلة", "سحب", "Hidden"):
        assert hidden not in response.content.decode()


def since_moment(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_a_story_taken_off_the_site_is_announced_as_canceled_when_it_left(client, settings):
    kept, unpublished, trashed, purged = many_stories(4, settings)
    before = timezone.now()
    unpublished.unpublish(by=None)
    trashed.move_to_trash(by=None)
    purged.move_to_trash(by=None)
    purged_id = purged.pk
    purged.delete_for_good(by=None)

    _response, payload = get_feed(client, f"/api/ninjs/?since={since_moment(before)}")

    items = {item["uri"]: item for item in payload["items"]}
    assert set(items) == {f"http://testserver/article/{story_id}/"
                          for story_id in (unpublished.pk, trashed.pk, purged_id)}
    for item in items.values():
        # Its address, when it left, and nothing of its text.
        assert item["pubstatus"] == "canceled"
        assert set(item) == {"uri", "standard", "type", "versioncreated", "pubstatus", "language"}
        assert datetime.datetime.fromisoformat(item["versioncreated"]) >= before
    # The one still published did not change since then.
    assert f"http://testserver/article/{kept.pk}/" not in items


def test_a_story_back_on_the_site_is_sent_again_not_canceled(client, settings):
    republished, restored = many_stories(2, settings)
    before = timezone.now()
    republished.unpublish(by=None)
    restored.move_to_trash(by=None)
    # A partner reads the feed while both are off the site, and takes them down.
    _response, payload = get_feed(client, f"/api/ninjs/?since={since_moment(before)}")
    assert {item["pubstatus"] for item in payload["items"]} == {"canceled"} and len(payload["items"]) == 2
    between = timezone.now()

    republished.publish(by=None)
    restored.restore_from_trash(by=None)

    for since in (before, between):
        _response, payload = get_feed(client, f"/api/ninjs/?since={since_moment(since)}")
        assert {(item["uri"], item["pubstatus"]) for item in payload["items"]} == {
            (f"http://testserver/article/{republished.pk}/", "usable"),
            (f"http://testserver/article/{restored.pk}/", "usable"),
        }


def test_since_pages_through_changes_and_withdrawals_in_the_order_they_happened(client, settings, monkeypatch):
    monkeypatch.setattr("articles.ninjs.PAGE_SIZE", 2)
    stories = many_stories(5, settings)
    start = timezone.now()
    for story in stories[:3]:
        story.save()  # changed
    stories[3].unpublish(by=None)
    stories[1].move_to_trash(by=None)  # changed, then withdrawn: only the withdrawal is current
    stories[4].save()

    seen, address = [], f"/api/ninjs/?since={since_moment(start)}"
    while address:
        _response, payload = get_feed(client, address)
        assert len(payload["items"]) <= 2
        seen += [(item["uri"].rsplit("/", 2)[-2], item["pubstatus"], item["versioncreated"])
                 for item in payload["items"]]
        address = payload["next"]

    assert [(story_id, status) for story_id, status, _when in seen] == [
        (str(stories[0].pk), "usable"), (str(stories[2].pk), "usable"), (str(stories[3].pk), "canceled"),
        (str(stories[1].pk), "canceled"), (str(stories[4].pk), "usable"),
    ]
    moments = [datetime.datetime.fromisoformat(when) for _id, _status, when in seen]
    assert moments == sorted(moments)


def test_english_edition_lists_only_translated_stories_in_english(client):
    translated = make_article(published=True, headline_en="Ceasefire agreed", body_en="<p>Full text.</p>",
                              summary_en="In short.")
    make_article(published=True)

    _response, payload = get_feed(client, "/en/api/ninjs/")

    [item] = payload["items"]
    assert item["uri"] == f"http://testserver/en/article/{translated.pk}/"
    assert item["language"] == "en"
    assert item["headlines"][0]["value"] == "Ceasefire agreed"
    assert item["bodies"][0]["value"] == "<p>Full text.</p>"


def test_arabic_is_sent_as_utf8_not_escaped(client):
    full_story()

    response, _payload = get_feed(client)

    assert "اتفاق على وقف إطلاق النار".encode() in response.content
    assert b"\\u0627" not in response.content


def many_stories(count, settings, **fields):
    """``count`` published stories, quickly: one section and author, no photos."""
    settings.NEWSROOM_REQUIRE_LEAD_PHOTO = False
    section, writer = make_section(), make_person()
    start = timezone.now() - timezone.timedelta(days=1)
    stories = []
    for number in range(count):
        story = make_article(f"خبر {number}", section=section, authors=[writer], lead_photo=None, **fields)
        story.publish(by=None, at=start + timezone.timedelta(minutes=number))
        stories.append(story)
    return stories


def test_pages_hold_fifty_newest_first_with_next_and_previous_links(client, settings):
    stories = many_stories(PAGE_SIZE + 3, settings)
    newest_first = [f"http://testserver/article/{story.pk}/" for story in reversed(stories)]

    first, payload = get_feed(client)
    assert [item["uri"] for item in payload["items"]] == newest_first[:PAGE_SIZE]
    assert payload["previous"] is None
    assert payload["next"] == "http://testserver/api/ninjs/?page=2"
    assert first["Link"] == '<http://testserver/api/ninjs/?page=2>; rel="next"'

    second, payload = get_feed(client, payload["next"])
    assert [item["uri"] for item in payload["items"]] == newest_first[PAGE_SIZE:]
    assert payload["next"] is None
    assert payload["previous"] == "http://testserver/api/ninjs/?page=1"
    assert second["Link"] == '<http://testserver/api/ninjs/?page=1>; rel="prev"'

    _response, payload = get_feed(client, "/api/ninjs/?page=3", status=404)
    assert payload["error"]


def test_an_empty_feed_is_an_empty_first_page(client):
    _response, payload = get_feed(client)

    assert payload == {"items": [], "next": None, "previous": None}


@pytest.mark.parametrize("query", [
    "page=abc", "page=0", "page=-1", "page=1.5", "page=99999999999999999999", "page=", "page=%00",
    "since=yesterday", "since=", "since=2026-13-01", "since=2026-02-30T10:00:00Z", "since=%00",
    "since=" + "9" * 5000, "since=0001-01-01T00:00:00%2B14:00", "since=9999-12-31T23:59:59-14:00",
    "since=2026-01-01&after=abc", "since=2026-01-01&after=-5",
])
def test_unreadable_parameters_answer_400_with_a_json_reason(client, query):
    make_article(published=True)

    _response, payload = get_feed(client, f"/api/ninjs/?{query}", status=400)

    assert set(payload) == {"error"} and payload["error"]


def test_since_lists_only_what_changed_since_then_oldest_first(client, settings):
    old, middle, new = many_stories(3, settings)
    now = timezone.now()
    Article.objects.filter(pk=old.pk).update(updated_at=now - timezone.timedelta(hours=5))
    Article.objects.filter(pk=new.pk).update(updated_at=now - timezone.timedelta(minutes=10))
    Article.objects.filter(pk=middle.pk).update(updated_at=now - timezone.timedelta(hours=1))
    since = (now - timezone.timedelta(hours=2)).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    _response, payload = get_feed(client, f"/api/ninjs/?since={since}")

    assert [item["uri"] for item in payload["items"]] == [
        f"http://testserver/article/{middle.pk}/", f"http://testserver/article/{new.pk}/",
    ]
    changed = [datetime.datetime.fromisoformat(item["versioncreated"]) for item in payload["items"]]
    assert changed == sorted(changed) and changed[0] >= now - timezone.timedelta(hours=2)


def test_since_reads_offsets_naive_times_and_an_unencoded_plus(client, settings):
    [story] = many_stories(1, settings)
    changed = timezone.localtime(Article.objects.get(pk=story.pk).updated_at)
    before = changed - timezone.timedelta(minutes=1)
    after = changed + timezone.timedelta(minutes=1)

    for moment, expected in ((before, 1), (after, 0)):
        for written in (
            moment.isoformat().replace("+", "%2B"),  # with its offset
            moment.isoformat().replace("+", " ") if "+" in moment.isoformat() else moment.isoformat(),  # a raw +
            moment.replace(tzinfo=None).isoformat(),  # naive: the newsroom's time
            moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        ):
            assert len(get_feed(client, f"/api/ninjs/?since={written}")[1]["items"]) == expected, written


def test_a_scheduled_story_counts_as_changed_when_it_came_due(client, settings):
    """Saved long before, it reached readers at its time: a partner asking since before then must get it."""
    [story] = many_stories(1, settings)
    now = timezone.now()
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.SCHEDULED, updated_at=now - timezone.timedelta(days=2),
        published_at=now - timezone.timedelta(minutes=5),
    )

    since = (now - timezone.timedelta(hours=1)).isoformat().replace("+", "%2B")

    [item] = get_feed(client, f"/api/ninjs/?since={since}")[1]["items"]

    assert datetime.datetime.fromisoformat(item["versioncreated"]) == now - timezone.timedelta(minutes=5)


def test_since_pages_by_cursor_without_gaps_or_repeats_even_when_stories_change_meanwhile(client, settings):
    stories = many_stories(PAGE_SIZE + 5, settings)
    # Many changes in one instant (an import, a bulk edit): the cursor's id keeps them apart.
    same_moment = timezone.now() - timezone.timedelta(hours=1)
    Article.objects.filter(pk__in=[story.pk for story in stories]).update(updated_at=same_moment)

    first, payload = get_feed(client, "/api/ninjs/?since=2000-01-01")
    seen = [item["uri"] for item in payload["items"]]
    assert len(seen) == PAGE_SIZE and payload["previous"] is None
    assert first["Link"] == f'<{payload["next"]}>; rel="next"'
    cursor = parse_qs(urlsplit(payload["next"]).query)
    assert set(cursor) == {"since", "after"}

    # A story on the first page is edited before the partner asks for the second one.
    stories[0].save()
    _response, payload = get_feed(client, payload["next"])
    seen += [item["uri"] for item in payload["items"]]
    assert payload["next"] is None

    expected = {f"http://testserver/article/{story.pk}/" for story in stories}
    assert set(seen) == expected
    assert seen.count(f"http://testserver/article/{stories[0].pk}/") == 2  # once as it was, once edited
    assert len(seen) == len(expected) + 1


def test_query_count_does_not_grow_with_the_number_of_items(client, django_assert_max_num_queries):
    for _number in range(2):
        full_story()
    with django_assert_max_num_queries(4):
        assert len(get_feed(client)[1]["items"]) == 2
    for _number in range(4):
        full_story()
    with django_assert_max_num_queries(4):
        assert len(get_feed(client)[1]["items"]) == 6
    # Since a moment: one more, for the stories withdrawn since then, however many.
    with django_assert_max_num_queries(5):
        assert len(get_feed(client, "/api/ninjs/?since=2000-01-01")[1]["items"]) == 6
    for story in Article.objects.all()[:3]:
        story.unpublish(by=None)
    with django_assert_max_num_queries(5):
        assert len(get_feed(client, "/api/ninjs/?since=2000-01-01")[1]["items"]) == 6


def test_feed_is_served_from_the_page_cache_with_its_parameters(client, settings, django_assert_num_queries):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    many_stories(3, settings)

    first, payload = get_feed(client, "/api/ninjs/?since=2000-01-01&utm_source=x")
    assert len(payload["items"]) == 3 and first.has_header("ETag")
    with django_assert_num_queries(0):
        again, _payload = get_feed(client, "/api/ninjs/?since=2000-01-01")
    assert again.content == first.content
    # since reaches the view: a later moment is another answer, not the cached one.
    assert get_feed(client, "/api/ninjs/?since=2100-01-01")[1]["items"] == []


def test_schema_accepts_the_specifications_own_shapes_and_refuses_others():
    Draft202012Validator.check_schema(SCHEMA)
    good = {
        "uri": "http://example.org/a", "type": "text", "headlines": [{"value": "x"}],
        "associations": [{"name": "a", "uri": "http://example.org/p", "type": "picture",
                          "renditions": [{"name": "r", "href": "http://example.org/p.jpg", "width": 2}]}],
    }
    assert VALIDATOR.is_valid(good)
    for bad in (
        {"type": "text"},  # no uri
        {"uri": "http://example.org/a", "headline": "x"},  # ninjs 1.x's property
        {"uri": "http://example.org/a", "body_html": "<p>x</p>"},
        {"uri": "http://example.org/a", "pubstatus": "published"},
        {"uri": "http://example.org/a", "associations": [{"uri": "http://example.org/p"}]},  # no name
        {"uri": "http://example.org/a", "associations": [{"name": "a", "uri": "u", "caption": "x"}]},
        {"uri": "http://example.org/a", "renditions": [{"href": "http://example.org/p.jpg"}]},
        {"uri": "/article/1/"},  # not absolute
        {"uri": "http://example.org/a", "versioncreated": "2026-01-01T10:00:00"},  # no offset
    ):
        assert not VALIDATOR.is_valid(bad), bad


def test_a_story_readers_never_saw_is_never_canceled(client, settings):
    before = timezone.now()
    draft = make_article("مسودة")
    draft.move_to_trash(by=None)
    review = make_article("قيد المراجعة", status=Article.Status.IN_REVIEW)
    review.move_to_trash(by=None)
    [early] = many_stories(1, settings)
    Article.objects.filter(pk=early.pk).update(published_at=timezone.now() + timezone.timedelta(hours=3))
    Article.objects.get(pk=early.pk).unpublish(by=None)  # scheduled, taken back before its time came

    _response, payload = get_feed(client, f"/api/ninjs/?since={since_moment(before)}")

    assert payload["items"] == []


def test_the_english_feed_cancels_only_the_stories_it_sent(client, settings):
    arabic_only, translated = many_stories(2, settings)
    translated.headline_en, translated.body_en = "Translated", "<p>Text.</p>"
    translated.save()
    before = timezone.now()
    arabic_only.unpublish(by=None)
    Article.objects.get(pk=translated.pk).unpublish(by=None)

    _response, english = get_feed(client, f"/en/api/ninjs/?since={since_moment(before)}")
    _response, arabic = get_feed(client, f"/api/ninjs/?since={since_moment(before)}")

    assert [(item["uri"], item["pubstatus"]) for item in english["items"]] == [
        (f"http://testserver/en/article/{translated.pk}/", "canceled"),
    ]
    assert {item["uri"] for item in arabic["items"]} == {
        f"http://testserver/article/{arabic_only.pk}/", f"http://testserver/article/{translated.pk}/",
    }


def feed_states(client, edition, since):
    """(story id, pubstatus) of each item in ``edition``'s listing of what changed since ``since``."""
    prefix = "/en" if edition == "en" else ""
    _response, payload = get_feed(client, f"{prefix}/api/ninjs/?since={since_moment(since)}")
    return [(int(item["uri"].rsplit("/", 2)[-2]), item["pubstatus"]) for item in payload["items"]]


def test_a_translation_removed_in_the_admin_is_canceled_in_its_edition_only(client, settings):
    editor = logged_in_editor(client)
    [removed] = many_stories(1, settings, headline_en="Siege lifted", body_en="<p>Text.</p>")
    before = timezone.now()

    data = admin_form_data(client, change_url(removed), headline_en="", body_en="")
    assert client.post(change_url(removed), data).status_code == 302

    # English partners take it down; Arabic ones get the saved story again, still on the Arabic site.
    assert feed_states(client, "en", before) == [(removed.pk, "canceled")]
    assert feed_states(client, "ar", before) == [(removed.pk, "usable")]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.WITHDRAWN)
    assert (entry.target_id, entry.detail, entry.actor) == (str(removed.pk), "en", editor)

    # Translated again: sent again, no longer canceled.
    data = admin_form_data(client, change_url(removed), headline_en="Siege lifted", body_en="<p>Text.</p>")
    assert client.post(change_url(removed), data).status_code == 302
    assert feed_states(client, "en", before) == [(removed.pk, "usable")]


def test_a_story_moved_into_the_future_is_canceled_until_its_new_time(client, settings):
    logged_in_editor(client)
    translated, arabic_only = many_stories(2, settings)
    translated.headline_en, translated.body_en = "Ceasefire", "<p>Text.</p>"
    translated.save()
    before = timezone.now()
    tomorrow = timezone.localtime() + timezone.timedelta(days=1)

    for story in (translated, arabic_only):
        data = admin_form_data(
            client, change_url(story), published_at_0=tomorrow.strftime("%Y-%m-%d"),
            published_at_1=tomorrow.strftime("%H:%M:%S"),
        )
        assert client.post(change_url(story), data).status_code == 302
        assert Article.objects.get(pk=story.pk).status == Article.Status.SCHEDULED

    assert feed_states(client, "ar", before) == [(translated.pk, "canceled"), (arabic_only.pk, "canceled")]
    assert feed_states(client, "en", before) == [(translated.pk, "canceled")]

    # Its new time comes: back on both sites, sent again as usable.
    Article.objects.filter(pk__in=[translated.pk, arabic_only.pk]).update(
        published_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    assert feed_states(client, "ar", before) == [(translated.pk, "usable"), (arabic_only.pk, "usable")]
    assert feed_states(client, "en", before) == [(translated.pk, "usable")]


def test_an_earlier_version_restored_without_its_translation_is_canceled_in_english(client, settings):
    [story] = many_stories(1, settings)
    with revision(None):
        story.save()  # the Arabic version
    story.headline_en, story.body_en = "Ceasefire", "<p>Text.</p>"
    with revision(None):
        story.save()
    first_version = Version.objects.get_for_object(story).order_by("pk").first()
    before = timezone.now()

    article_restore(article=story, version=first_version, by=None)

    assert feed_states(client, "en", before) == [(story.pk, "canceled")]
    assert feed_states(client, "ar", before) == [(story.pk, "usable")]


def test_a_save_readers_could_not_see_cancels_nothing(client, settings):
    settings.NEWSROOM_REQUIRE_LEAD_PHOTO = False
    english = {"headline_en": "Hidden", "body_en": "<p>Hidden.</p>"}
    draft = make_article("مسودة", lead_photo=None, **english)
    scheduled = make_article("مجدول", lead_photo=None, **english)
    scheduled.publish(by=None, at=timezone.now() + timezone.timedelta(hours=2))
    unpublished = make_article("ملغى", published=True, lead_photo=None, **english)
    unpublished.unpublish(by=None)
    [live] = many_stories(1, settings, **english)
    before = timezone.now()

    for story in (draft, scheduled, unpublished):
        story = Article.objects.get(pk=story.pk)
        story.headline_en = story.body_en = ""
        story.save()
    Article.objects.get(pk=scheduled.pk).publish(by=None, at=timezone.now() + timezone.timedelta(days=3))
    # A change the save does not write (update_fields leaves it out) takes nothing off the site.
    story = Article.objects.get(pk=live.pk)
    story.headline_en = ""
    story.save(update_fields=["is_top_story"])

    assert not AuditEntry.objects.filter(action=AuditEntry.Action.WITHDRAWN, at__gte=before).exists()
    assert feed_states(client, "en", before) == []
    _response, english = get_feed(client, "/en/api/ninjs/")
    assert [item["uri"] for item in english["items"]] == [f"http://testserver/en/article/{live.pk}/"]


def test_a_status_written_alone_that_takes_a_story_off_is_canceled(client, settings):
    # publish_due writes the status alone and skips the edition check; a script doing the same to take a story
    # off the site must not skip it.
    [story] = many_stories(1, settings, headline_en="Ceasefire", body_en="<p>Text.</p>")
    before = timezone.now()

    story = Article.objects.get(pk=story.pk)
    story.status = Article.Status.DRAFT
    story.save(update_fields=["status"])

    assert feed_states(client, "ar", before) == feed_states(client, "en", before) == [(story.pk, "canceled")]


@pytest.mark.parametrize("how", ["body removed", "loaded as a card", "loaded with only its text", "came due meanwhile"])
def test_a_translation_removed_however_the_story_was_loaded_is_canceled(client, settings, how):
    [story] = many_stories(1, settings, headline_en="Ceasefire", body_en="<p>Text.</p>")
    before = timezone.now()
    if how == "body removed":
        story = Article.objects.get(pk=story.pk)
        story.body_en = ""
        story.save()
    elif how == "loaded as a card":  # the body deferred
        story = Article.objects.for_listing().get(pk=story.pk)
        story.headline_en = ""
        story.save()
    elif how == "loaded with only its text":
        story = Article.objects.only("pk", "headline_en", "body_en").get(pk=story.pk)
        story.headline_en = ""
        story.save(update_fields=["headline_en"])
    else:  # loaded while scheduled, saved once its time had come: readers saw it in between
        Article.objects.filter(pk=story.pk).update(
            status=Article.Status.SCHEDULED, published_at=timezone.now() + timezone.timedelta(hours=1)
        )
        story = Article.objects.get(pk=story.pk)
        Article.objects.filter(pk=story.pk).update(published_at=before)
        story.published_at = before
        story.headline_en = ""
        story.save()

    assert feed_states(client, "en", before) == [(story.pk, "canceled")]


def test_a_story_that_left_came_back_and_left_again_is_canceled_once(client, settings):
    rescheduled, retranslated, retrashed = many_stories(3, settings, headline_en="Ceasefire", body_en="<p>Text.</p>")
    before = timezone.now()
    # Moved into the future, back when its time came, then unpublished.
    Article.objects.get(pk=rescheduled.pk).publish(by=None, at=timezone.now() + timezone.timedelta(hours=1))
    Article.objects.filter(pk=rescheduled.pk).update(published_at=timezone.now())
    Article.publish_due()
    Article.objects.get(pk=rescheduled.pk).unpublish(by=None)
    # Its translation removed, put back, removed again.
    for headline in ("", "Ceasefire", ""):
        story = Article.objects.get(pk=retranslated.pk)
        story.headline_en = headline
        story.save()
    # Trashed, restored, trashed again.
    for step in ("move_to_trash", "restore_from_trash", "move_to_trash"):
        getattr(Article.objects.get(pk=retrashed.pk), step)(by=None)

    assert sorted(feed_states(client, "en", before)) == [
        (rescheduled.pk, "canceled"), (retranslated.pk, "canceled"), (retrashed.pk, "canceled"),
    ]
    # Announced at the last time each left: a partner that polled while they were back hears of it too.
    last_time = max(AuditEntry.objects.filter(target_id=str(rescheduled.pk)).values_list("at", flat=True))
    assert (rescheduled.pk, "canceled") in feed_states(client, "en", last_time)
    assert sorted(feed_states(client, "ar", before)) == [
        (rescheduled.pk, "canceled"), (retranslated.pk, "usable"), (retrashed.pk, "canceled"),
    ]


@pytest.mark.parametrize("how", ["unpublished", "trashed"])
def test_a_story_off_the_site_whose_translation_is_then_removed_stays_canceled_in_english(client, settings, how):
    editor = make_editor()
    [story] = many_stories(1, settings, headline_en="Ceasefire", body_en="<p>Text.</p>")
    before = timezone.now()
    story = Article.objects.get(pk=story.pk)
    story.unpublish(by=editor) if how == "unpublished" else story.move_to_trash(by=editor)
    story = Article.objects.get(pk=story.pk)
    story.headline_en = story.body_en = ""
    story.save()

    assert feed_states(client, "en", before) == [(story.pk, "canceled")]
    assert feed_states(client, "ar", before) == [(story.pk, "canceled")]
    # Who took it off each edition is on record.
    left = AuditEntry.objects.filter(action=AuditEntry.Action.WITHDRAWN, target_id=str(story.pk))
    assert sorted((entry.detail, entry.actor) for entry in left) == [("ar", editor), ("en", editor)]


@pytest.mark.django_db(transaction=True)
def test_while_a_save_reads_the_editions_a_story_is_in_no_other_save_can_change_them(settings):
    # Otherwise a translation saved by someone else between the read and the write would be overwritten by an
    # older copy with no withdrawal recorded, though English readers saw it. (SQLite runs one writer at a time.)
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks: its writers take turns")
    [story] = many_stories(1, settings)

    def translate_meanwhile():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
            Article.objects.filter(pk=story.pk).update(headline_en="Ceasefire", body_en="<p>Text.</p>")

    with transaction.atomic():
        assert story.editions_on_site(lock=True) == {"ar"}
        _results, errors = run_at_once(translate_meanwhile, times=1)

    assert len(errors) == 1 and isinstance(errors[0], OperationalError)
    assert not Article.objects.in_edition("en").filter(pk=story.pk).exists()
