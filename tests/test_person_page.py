"""A contributor's page and feed: public in an edition once readers of it can see their work (a byline, or a
credited photo in a story), and unknown to readers before that."""

import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Person, Photo, bylines_shown_in
from articles.roles import ROLE_WRITER
from tests.factories import make_article, make_person, make_photo, make_user
from tests.plans import query_plan, sqlite_instructions

pytestmark = pytest.mark.django_db


def answers(client, person):
    """The status of the person's page and feed, in Arabic and in English."""
    urls = [f"/person/{person.slug}/", f"/person/{person.slug}/feed/",
            f"/en/person/{person.slug}/", f"/en/person/{person.slug}/feed/"]
    return {url: client.get(url).status_code for url in urls}


def test_a_contributor_just_invited_has_no_page_or_feed_in_either_edition(client):
    stringer = make_person("مراسل جديد", user=make_user(ROLE_WRITER, username="stringer@example.org"))
    # A draft under their byline and a photo of theirs in another draft are not something readers see.
    make_article(authors=[stringer], lead_photo=make_photo(credit_person=stringer), published=False)

    assert set(answers(client, stringer).values()) == {404}
    assert "مراسل جديد" not in client.get(f"/person/{stringer.slug}/").text


def test_a_byline_in_arabic_only_opens_the_arabic_page_and_feed_only(client):
    writer = make_person("سامر العلي", name_en="Samer al-Ali")
    make_article(authors=[writer], published=True)

    assert answers(client, writer) == {
        f"/person/{writer.slug}/": 200, f"/person/{writer.slug}/feed/": 200,
        f"/en/person/{writer.slug}/": 404, f"/en/person/{writer.slug}/feed/": 404,
    }
    # So the Arabic page's language link leads to the English edition's home, not to that 404.
    page = client.get(f"/person/{writer.slug}/").text
    assert 'href="/en/" hreflang="en"' in page and f'href="/en/person/{writer.slug}/"' not in page


def test_a_photographer_credited_in_a_published_story_has_a_page(client):
    photographer = make_person("عدسة ليلى", role=Person.Role.PHOTOGRAPHER)
    make_article(published=True, lead_photo=make_photo(credit_person=photographer))

    page = client.get(photographer.get_absolute_url())

    assert page.status_code == 200 and "عدسة ليلى" in page.text
    assert client.get(f"/person/{photographer.slug}/feed/").status_code == 200
    # Named as every other role is, «مصوّر» (not the photo field's label «المصوّر»); in English with a capital.
    assert '<p class="person__role">مصوّر</p>' in page.text


def test_the_role_and_the_feed_read_right_for_a_woman_as_for_a_man(client):
    reporter = make_person(
        "لينا حداد", name_en="Lina Haddad", role=Person.Role.REPORTER, role_gender=Person.Gender.FEMININE,
    )
    make_article("خبر", published=True, authors=[reporter], headline_en="News", body_en="<p>Text</p>")

    arabic = client.get(f"/person/{reporter.slug}/").text
    english = client.get(f"/en/person/{reporter.slug}/").text
    feed = client.get(f"/person/{reporter.slug}/feed/").text

    assert '<p class="person__role">مراسلة</p>' in arabic
    assert '<p class="person__role">Reporter</p>' in english
    # «أحدث ما كتبه» is a man's verb; «بقلم» fits every writer.
    assert "<description>أحدث المقالات بقلم لينا حداد.</description>" in feed


def test_a_deactivated_contributor_keeps_the_page_of_their_published_bylines(client):
    account = make_user(ROLE_WRITER, is_active=False)
    writer = make_person("ريم حداد", user=account, is_active=False)
    make_article("تحقيق في صفقة القمح", authors=[writer], published=True)

    page = client.get(writer.get_absolute_url())

    assert page.status_code == 200 and "تحقيق في صفقة القمح" in page.text


def test_a_photographers_page_leads_from_each_photo_to_its_story_in_that_edition(client):
    photographer = make_person("عدسة ليلى", role=Person.Role.PHOTOGRAPHER)
    story = make_article(
        "حصار المدينة", published=True, lead_photo=make_photo(credit_person=photographer),
        headline_en="The siege of the city", body_en="<p>Text.</p>",
    )

    arabic = client.get(f"/person/{photographer.slug}/").text
    english = client.get(f"/en/person/{photographer.slug}/").text

    assert f'href="/article/{story.pk}/' in arabic and ">حصار المدينة</a>" in arabic
    assert f'href="/en/article/{story.pk}/' in english and ">The siege of the city</a>" in english
    # Only photos: no empty list of articles under them.
    assert "photo-grid__story" in arabic and "<h2>مقالات</h2>" not in arabic


def photo_by(photographer, caption, days_ago):
    """A photo of ``photographer`` uploaded ``days_ago`` days ago (uploaded_at is set on save, so changed after)."""
    photo = make_photo(caption=caption, credit_person=photographer)
    Photo.objects.filter(pk=photo.pk).update(uploaded_at=timezone.now() - timezone.timedelta(days=days_ago))
    return photo


def in_body(photo):
    return f'<p>نص الخبر.</p><figure data-photo-id="{photo.pk}"></figure>'


def shown_captions(client, person):
    page = client.get(f"/person/{person.slug}/").text
    return [caption for caption in re.findall(r"<span>(صورة رقم \d+)</span>", page)]


def test_a_photographers_page_shows_their_newest_photos_readers_see_newest_first(client):
    photographer = make_person("عدسة ليلى", role=Person.Role.PHOTOGRAPHER)
    for number in range(1, 14):  # 13 photos, each the lead of a published story; photo 1 the newest
        make_article(published=True, lead_photo=photo_by(photographer, f"صورة رقم {number}", days_ago=number))
    # Newer than all of them: one only in a draft, which readers must not see, and one only in a published
    # story's body, which they see.
    make_article(published=False, lead_photo=photo_by(photographer, "صورة رقم 100", days_ago=0))
    inline = photo_by(photographer, "صورة رقم 200", days_ago=0)
    make_article(published=True, body_ar=in_body(inline))

    assert shown_captions(client, photographer) == ["صورة رقم 200", *[f"صورة رقم {n}" for n in range(1, 12)]]


def test_each_photo_leads_to_the_newest_story_readers_can_read_it_in_as_lead_or_in_the_body(client):
    photographer = make_person("عدسة ليلى", role=Person.Role.PHOTOGRAPHER)
    days = timezone.timedelta(days=1)
    body_is_newer = photo_by(photographer, "صورة رقم 1", days_ago=1)
    make_article("خبر قديم بالصورة في رأسه", published=True, lead_photo=body_is_newer,
                 published_at=timezone.now() - 3 * days)
    newer = make_article("خبر أحدث بالصورة في متنه", published=True, body_ar=in_body(body_is_newer),
                         published_at=timezone.now() - days)
    make_article("مسودة أحدث منهما", lead_photo=body_is_newer)  # a draft: readers cannot follow the link
    lead_is_newer = photo_by(photographer, "صورة رقم 2", days_ago=2)
    make_article("خبر قديم بالصورة في متنه", published=True, body_ar=in_body(lead_is_newer),
                 published_at=timezone.now() - 3 * days)
    newest = make_article("خبر أحدث بالصورة في رأسه", published=True, lead_photo=lead_is_newer,
                          published_at=timezone.now() - days)

    page = client.get(f"/person/{photographer.slug}/").text

    links = re.findall(r'photo-grid__story">[^<]*<a href="/article/(\d+)/[^"]*">([^<]*)</a>', page)
    assert links == [(str(newer.pk), "خبر أحدث بالصورة في متنه"), (str(newest.pk), "خبر أحدث بالصورة في رأسه")]


def library_photos(photographer, count):
    """``count`` photos credited to ``photographer``, in no story, made at once (their file is never read)."""
    return Photo.objects.bulk_create(
        Photo(image="photos/library.jpg", width=1200, height=800, credit_person=photographer) for _ in range(count)
    )


def test_a_photographers_newest_photos_are_read_in_order_from_their_own_index():
    # A photographer's page sorted all their photos before taking a dozen (README "Performance"). It stays fast
    # only while each half of credited_to()'s choice walks photo_by_photographer_idx in its order and stops, with
    # no sort. Each database is asked for its plan; PostgreSQL is told not to read the table or sort, which with
    # a handful of rows it rightly would, and still sorts when no index gives the order. As in any library, most
    # photos are someone else's: were they all hers, walking the whole library newest first would do as well.
    photographer = make_person("عدسة ليلى", role=Person.Role.PHOTOGRAPHER)
    make_article(published=True, lead_photo=make_photo(credit_person=photographer))
    colleague = make_person("عدسة سامي", role=Person.Role.PHOTOGRAPHER)
    library_photos(colleague, 300)
    with CaptureQueriesContext(connection) as queries:
        list(Photo.objects.credited_to(photographer, 12))
    halves = [query["sql"] for query in queries.captured_queries[:2]]
    assert all('"credit_person_id" =' in sql for sql in halves)
    for sql in halves:
        plan = query_plan(sql, allow_sort=False)
        assert any("photo_by_photographer_idx" in step for step in plan), plan
        if connection.vendor == "sqlite":
            assert not any("ORDER BY" in step for step in plan), plan  # USE TEMP B-TREE FOR ORDER BY
        else:
            assert not any("Sort" in step for step in plan), plan


def add_older_photos(photographer, count):
    """``count`` photos of ``photographer`` from a month ago, in no story: the bulk of a working photographer's."""
    older = library_photos(photographer, count)
    a_month_ago = timezone.now() - timezone.timedelta(days=30)
    Photo.objects.filter(pk__in=[photo.pk for photo in older]).update(uploaded_at=a_month_ago)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="counts SQLite's own instructions")
def test_a_photographers_page_and_the_people_sitemap_read_no_more_of_their_photos_than_they_need(client):
    # Both ask whether each edition shows a person's work (with_editions, the sitemap's photos_in_<language>).
    # SQLite asked every one of a photographer's photos whether a story's body shows it, in both editions, though
    # their newest photo, a story's lead, had already answered: 38 ms for their page at 100,000 stories, and more
    # for the sitemap (README "Performance"). A few hundred older photos in the library must not add to the work.
    photographer = make_person("عدسة ليلى", role=Person.Role.PHOTOGRAPHER)
    make_article(published=True, lead_photo=make_photo(credit_person=photographer),
                 headline_en="The siege of the city", body_en="<p>Text.</p>")
    lookup = Person.objects.select_related("photo").with_editions().filter(in_ar=True, slug=photographer.slug)
    assert lookup.values_list("in_ar", "in_en").get() == (True, True)

    def work():
        return [sqlite_instructions(read) for read in (lambda: list(lookup.all()),
                                                       lambda: client.get("/sitemap-people.xml"))]

    add_older_photos(photographer, 20)
    with_few = work()
    add_older_photos(photographer, 400)
    with_many = work()
    # Asking each of the 400 would take a few dozen instructions a photo.
    assert all(many - few < 400 for few, many in zip(with_few, with_many, strict=True)), (with_few, with_many)
    assert quote(f"/en/person/{photographer.slug}/") in client.get("/sitemap-people.xml").text


@pytest.mark.skipif(connection.vendor != "sqlite", reason="counts SQLite's own instructions")
def test_a_photographers_newest_dozen_is_found_without_reading_their_older_photos():
    # Their page shows their newest dozen, as a story's lead or in its body (credited_to). Once a dozen leads are
    # found, no older photo can be among them; but the body half went on asking every older photo of a
    # photographer whose photos are all leads whether a body shows it (17 ms at 25,000 photos).
    photographer = make_person("عدسة ليلى", role=Person.Role.PHOTOGRAPHER)
    leads = [photo_by(photographer, f"صورة {number}", days_ago=number + 1) for number in range(12)]
    for photo in leads:
        make_article(published=True, lead_photo=photo)
    # In a body: one uploaded the same instant as the dozenth lead (added after it, so listed before it), one older.
    in_bodies = [photo_by(photographer, "صورة في متن", days_ago=days_ago) for days_ago in (12, 13)]
    Photo.objects.filter(pk=in_bodies[0].pk).update(uploaded_at=Photo.objects.get(pk=leads[-1].pk).uploaded_at)
    make_article(published=True, body_ar="".join(in_body(photo) for photo in in_bodies))

    def work():
        return sqlite_instructions(lambda: list(Photo.objects.credited_to(photographer, 12)))

    add_older_photos(photographer, 20)
    with_few = work()
    add_older_photos(photographer, 400)
    assert work() - with_few < 400, with_few  # asking each of the 400 would take a few dozen instructions a photo
    newest = [*leads[:11], in_bodies[0]]
    assert [photo.pk for photo in Photo.objects.credited_to(photographer, 12)] == [photo.pk for photo in newest]


def test_whether_someone_has_a_story_in_an_edition_is_asked_from_their_own_bylines():
    # Asked as one join, PostgreSQL answered "has this photographer a story in English?" by walking every English
    # story to probe each for their byline (33 ms at 100,000 stories, README "Performance"), on every page of
    # theirs. bylines_shown_in() walks the person's bylines and asks for each one's story by its id. Each
    # database is asked for its plan (SQLite walked the bylines either way), PostgreSQL told not to read whole
    # tables, as it rightly would when they are this small.
    photographer = make_person("عدسة سامي", role=Person.Role.PHOTOGRAPHER)
    make_article(published=True, lead_photo=make_photo(credit_person=photographer))
    for code in ("ar", "en"):
        plan = query_plan(*Person.objects.filter(bylines_shown_in(code), pk=photographer.pk).query.sql_with_params())
        if connection.vendor == "sqlite":
            assert any(step.startswith("CORRELATED SCALAR SUBQUERY") for step in plan), plan
            assert any(re.match(r"SEARCH \w+ USING INTEGER PRIMARY KEY", step) for step in plan[1:]), plan
        else:
            assert any(re.search(r'\(id = "\w+"\.article_id\)', step) for step in plan), plan
        assert any("byline_by_person_idx" in step for step in plan), plan


@pytest.mark.django_db
def test_an_english_page_shows_no_arabic_biography_in_place_of_an_english_one(client):
    writer = make_person("عمر الزعبي", name_en="Omar al-Zoubi", bio_ar="مراسل في درعا.", bio_en="")
    make_article("خبر", published=True, authors=[writer], headline_en="News", body_en="<p>Text</p>")

    english = client.get(f"/en/person/{writer.slug}/").text

    assert "مراسل في درعا" not in english and "person__bio" not in english
    assert "مراسل في درعا" in client.get(f"/person/{writer.slug}/").text
