"""The page cache (articles/page_cache.py): public pages come from the cache at no query cost, every change shows
at once, logged-in staff get the very same pages, private pages are never kept, conditional GET answers 304.

Tests here commit their changes (``django_capture_on_commit_callbacks(execute=True)``) because the invalidation
runs after the commit, as it does in production; the test's own transaction never commits.
"""

import gzip
import logging
import os
import time
from html.parser import HTMLParser

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import page_cache, preview
from articles.admin import tags_merge
from articles.models import Article, Person, Photo, SupportAppeal, Tag
from articles.renditions import ensure_renditions
from articles.roles import ROLE_ADMINISTRATOR, ROLE_WRITER
from tests.factories import (
    image_upload,
    make_article,
    make_editor,
    make_person,
    make_photo,
    make_section,
    make_user,
    sitemap_page,
)
from tests.test_admin_flow import admin_form_data, change_url

# The Redis the "redis" runs use. Its keys carry a prefix of each test's own, and only those are deleted, so a
# developer's data in the same database survives. Unreachable, those runs skip, unless NEWSROOM_REDIS_TESTS is
# "required" (CI sets it, with a throwaway server of its own: .ci/run).
REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL") or "redis://127.0.0.1:6379/13"
REDIS_REQUIRED = os.environ.get("NEWSROOM_REDIS_TESTS") == "required"


def redis_or_skip():
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)
    try:
        server.ping()
    except (redis.RedisError, OSError) as error:
        reason = f"Redis page cache tests skipped: no Redis at {REDIS_URL} (set NEWSROOM_TEST_REDIS_URL): {error}"
        if REDIS_REQUIRED:
            pytest.fail(f"NEWSROOM_REDIS_TESTS=required, but {reason}")
        pytest.skip(reason)
    return server


@pytest.fixture(params=["locmem"])
def page_cache_on(request, settings):
    """The page cache turned on (tests/conftest.py turns it off elsewhere), in local memory or, with the
    parameter "redis", in a real Redis as several app servers would share it."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    if request.param == "redis":
        server = redis_or_skip()
        prefix = f"newsroom-test-{os.getpid()}-{time.monotonic_ns()}"
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix,
            }
        }
        yield request.param
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)
    else:
        yield request.param


both_caches = pytest.mark.parametrize("page_cache_on", ["locmem", "redis"], indirect=True)


@pytest.fixture
def newsroom():
    """A published story with everything its page can show, a related story, and the support box."""
    section, writer = make_section("سياسة"), make_person("ريم الحلبي")
    inline = make_photo(caption="الجسر القديم", credit="عدسة ليلى")
    story = make_article(
        "الأمطار تعود إلى دمشق", published=True, section=section, authors=[writer], tags=["سوريا", "طقس"],
        body_ar=f'<p>قال السكان إن المياه عادت.</p><figure data-photo-id="{inline.pk}"></figure>',
    )
    related = make_article("السدود تمتلئ للمرة الأولى", published=True, section=section, tags=["طقس"])
    story.related_articles.set([related])
    SupportAppeal.objects.create(
        heading_ar="ادعموا الصحافة المستقلة", text_ar="نص النداء", tagline_ar="دولار واحد شهريًا يصنع الفرق",
        button_label_ar="اضغط هنا للمساهمة", url_ar="https://example.org/support",
    )
    return story


def public_pages(story):
    """Every kind of public address, for ``story``."""
    local = timezone.localtime(story.published_at)
    section, person = story.section.slug, story.authors.first().slug
    return [
        "/", "/en/", story.get_absolute_url(), f"/section/{section}/", "/tag/سوريا/", f"/person/{person}/",
        f"/archive/{local.year}/", f"/archive/{local.year}/{local.month}/",
        f"/archive/{local.year}/{local.month}/{local.day}/", "/search/?q=الامطار",
        "/feed/", "/feed/atom/", f"/section/{section}/feed/", "/tag/سوريا/feed/", f"/person/{person}/feed/",
        "/sitemap.xml", "/sitemap-news.xml", "/robots.txt",
    ]


def html_pages(story):
    return [url for url in public_pages(story) if "feed" not in url and "." not in url.rsplit("/", 1)[-1]]


def logged_in(user):
    """A browser of its own, logged in as ``user``: the admin beside the readers' ``client``."""
    browser = Client()
    browser.force_login(user)
    return browser


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


# --- Served from the cache ---------------------------------------------------------------------------------


@both_caches
@pytest.mark.django_db
def test_second_anonymous_request_of_every_public_page_costs_no_query(
    client, page_cache_on, newsroom, django_assert_num_queries
):
    for url in public_pages(newsroom):
        first = client.get(url)
        assert first.status_code == 200, url
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200, url
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"], url


@pytest.mark.django_db
def test_head_request_is_answered_from_the_cached_page(client, page_cache_on, newsroom, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        assert client.head("/").status_code == 200


@pytest.mark.django_db
def test_every_address_is_its_own_page(client, page_cache_on, newsroom):
    """Query string, language prefix and host are part of the key: none of them gets another's page."""
    arabic = client.get("/")
    assert 'lang="ar"' in arabic.text
    assert 'lang="en"' in client.get("/en/").text
    assert "الأمطار" in client.get("/search/?q=الامطار").text
    assert "الأمطار" not in client.get("/search/?q=زلزال").text.split("<main", 1)[1]
    # The share links hold the address the reader came by.
    assert "testserver" in client.get(newsroom.get_absolute_url()).text
    assert "127.0.0.1" in client.get(newsroom.get_absolute_url(), headers={"host": "127.0.0.1"}).text


@pytest.mark.django_db
def test_page_cache_is_off_at_zero_seconds(client, settings, newsroom):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert queries_for(client, "/")[1] > 0


@pytest.mark.django_db
def test_address_that_is_not_found_is_never_kept(client, page_cache_on, newsroom):
    assert client.get("/article/999999/x/").status_code == 404
    response, queries = queries_for(client, "/article/999999/x/")
    assert response.status_code == 404
    assert queries > 0


@pytest.mark.django_db
def test_an_address_with_dot_segments_is_no_cached_page_s_address(client, page_cache_on, newsroom):
    section = f"/section/{newsroom.section.slug}/"
    for page in ("/", section):
        assert client.get(page).status_code == 200
    for address in ("/tag/لا-يوجد/../../", "/tag/%2e%2e/", "/wp-admin/../", "/en/../", f"{section}feed/../"):
        assert client.get(address).status_code == 404, address


@pytest.mark.django_db
def test_query_parameters_no_page_reads_share_the_page_without_them(
    client, page_cache_on, newsroom, django_assert_num_queries
):
    """Tracking tags and cache-busters change nothing on the page, so they neither cost a rendering nor push real
    pages out of the cache; the page's own links (the language switcher) do not carry them either."""
    tagged = client.get("/?utm_source=newsletter&fbclid=abc")
    assert tagged.status_code == 200
    assert "utm_source" not in tagged.text and "fbclid" not in tagged.text
    for url in ["/", "/?x=1", "/?x=2", "/?utm_source=x"]:
        with django_assert_num_queries(0):
            assert client.get(url).content == tagged.content, url

    searched = client.get("/search/?utm_campaign=spring&q=الامطار")
    assert "الأمطار" in searched.text and "utm_campaign" not in searched.text
    with django_assert_num_queries(0):
        assert client.get("/search/?q=الامطار").content == searched.content


@pytest.mark.django_db
def test_query_parameters_pages_read_make_pages_of_their_own(client, page_cache_on, newsroom):
    section = f"/section/{newsroom.section.slug}/"
    for url in ["/", section]:
        client.get(url)
        assert queries_for(client, f"{url}?page=2")[1] > 0, url
    client.get(f"/search/?q=الامطار&section={newsroom.section.slug}")
    # Their order does not make another page.
    assert queries_for(client, f"/search/?section={newsroom.section.slug}&q=الامطار")[1] == 0


def test_memory_cache_holds_more_pages_than_djangos_default_300():
    memory = caches["default"]
    if not isinstance(memory, LocMemCache):
        pytest.skip("the default cache is not Django's local-memory one (REDIS_URL is set)")
    for number in range(600):
        memory.set(f"page-{number}", number)
    assert memory.get("page-0") == 0


# --- Every change shows at once -----------------------------------------------------------------------------


@both_caches
@pytest.mark.django_db
def test_headline_edited_in_the_admin_shows_at_once_on_every_page_that_lists_it(
    client, page_cache_on, newsroom, django_capture_on_commit_callbacks
):
    editor = logged_in(make_editor())
    pages = ["/", newsroom.get_absolute_url(), f"/section/{newsroom.section.slug}/", "/tag/سوريا/",
             f"/person/{newsroom.authors.first().slug}/", "/feed/"]
    for url in pages:
        assert "الأمطار تعود إلى دمشق" in client.get(url).content.decode(), url

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            change_url(newsroom),
            admin_form_data(editor, change_url(newsroom), headline_ar="الأمطار الغزيرة تغمر شوارع دمشق"),
        )
    assert response.status_code == 302

    for url in pages:
        page = client.get(url).content.decode()
        assert "الأمطار الغزيرة تغمر شوارع دمشق" in page, url
        assert "الأمطار تعود إلى دمشق" not in page, url


@pytest.mark.django_db
def test_story_published_in_the_admin_shows_at_once(client, page_cache_on, django_capture_on_commit_callbacks):
    story = make_article("وصول قافلة المساعدات إلى حلب")
    editor = logged_in(make_editor())
    assert "وصول قافلة المساعدات" not in client.get("/").text
    assert client.get(story.get_absolute_url()).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(change_url(story), admin_form_data(editor, change_url(story), _publish="Save and publish"))

    assert "وصول قافلة المساعدات" in client.get("/").text
    assert client.get(story.get_absolute_url()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("withdrawal", ["unpublish", "trash"])
def test_story_unpublished_or_trashed_in_the_admin_leaves_every_page_at_once(
    client, page_cache_on, newsroom, withdrawal, django_capture_on_commit_callbacks
):
    editor = logged_in(make_editor())
    pages = ["/", f"/section/{newsroom.section.slug}/", "/tag/طقس/", "/feed/", sitemap_page("articles", newsroom.pk)]
    link = f"/article/{newsroom.pk}/"
    for url in pages:
        assert link in client.get(url).content.decode(), url

    with django_capture_on_commit_callbacks(execute=True):
        if withdrawal == "unpublish":
            response = editor.post(
                change_url(newsroom), admin_form_data(editor, change_url(newsroom), _unpublish="Save and unpublish")
            )
        else:
            response = editor.post(f"/admin/articles/article/{newsroom.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    assert client.get(newsroom.get_absolute_url()).status_code == 404
    for url in pages:
        assert link not in client.get(url).content.decode(), url


@pytest.mark.django_db
def test_story_restored_from_the_trash_is_back_at_once(
    client, page_cache_on, newsroom, django_capture_on_commit_callbacks
):
    newsroom.move_to_trash(by=None)
    assert "الأمطار تعود إلى دمشق" not in client.get("/").text

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=newsroom.pk).restore_from_trash(by=None)

    assert "الأمطار تعود إلى دمشق" in client.get("/").text


def rename_section(story):
    story.section.name_ar = "شؤون سياسية"
    story.section.save()
    return "شؤون سياسية"


def retell_appeal(story):
    appeal = SupportAppeal.objects.get()
    appeal.tagline_ar = "كل مساهمة تحمي مراسلًا"
    appeal.save()
    return "كل مساهمة تحمي مراسلًا"


def recaption_inline_photo(story):
    photo = story.inline_photos.get()
    photo.caption_ar = "الجسر القديم بعد الترميم"
    photo.save()
    return "الجسر القديم بعد الترميم"


def credit_lead_photo(story):
    photo = story.lead_photo
    photo.credit_ar = "عدسة مازن الشامي"
    photo.save()
    return "عدسة مازن الشامي"


def rename_tag(story):
    tag = story.tags.get(name="سوريا")
    tag.name_ar = "سورية"
    tag.save()
    return "سورية"


def add_byline(story):
    story.authors.add(make_person("نور الهدى"), through_defaults={"order": 1})
    return "نور الهدى"


def add_tag(story):
    story.tags.add("الغوطة")
    return "الغوطة"


def pick_related(story):
    story.related_articles.add(make_article("افتتاح مدرسة في درعا", published=True))
    return "افتتاح مدرسة في درعا"


def rename_author(story):
    writer = story.authors.get()
    writer.name_ar = "ريم الحلبي الخطيب"
    writer.save()
    return "ريم الحلبي الخطيب"


def rename_photographer(story, photo):
    # The photo is credited to its photographer in a way no signal sees, so only the rename can refresh the page.
    photographer = make_person("رامي الحوراني", role=Person.Role.PHOTOGRAPHER)
    Photo.objects.filter(pk=photo.pk).update(credit_person=photographer, credit_ar="", credit_en="")
    photographer.name_ar = "رامي الحوراني الابن"
    photographer.save()
    return "رامي الحوراني الابن"


def rename_lead_photographer(story):
    return rename_photographer(story, story.lead_photo)


def rename_body_photographer(story):
    return rename_photographer(story, story.inline_photos.get())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        rename_section, retell_appeal, recaption_inline_photo, credit_lead_photo, rename_tag, add_byline, add_tag,
        pick_related, rename_author, rename_lead_photographer, rename_body_photographer,
    ],
)
def test_change_to_what_the_story_page_shows_appears_at_once(
    client, page_cache_on, newsroom, change, django_capture_on_commit_callbacks
):
    client.get(newsroom.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        wanted = change(newsroom)
    assert wanted in client.get(newsroom.get_absolute_url()).text


@pytest.mark.django_db
def test_new_description_of_a_writers_portrait_shows_at_once_on_their_page(
    client, page_cache_on, newsroom, django_capture_on_commit_callbacks
):
    writer = newsroom.authors.get()
    with django_capture_on_commit_callbacks(execute=True):
        writer.photo = make_photo(alt_text="صورة الكاتبة")
        writer.save()
    assert "صورة الكاتبة" in client.get(writer.get_absolute_url()).text

    with django_capture_on_commit_callbacks(execute=True):
        writer.photo.alt_text_ar = "الكاتبة ريم الحلبي في مكتبها"
        writer.photo.save()
    assert "الكاتبة ريم الحلبي في مكتبها" in client.get(writer.get_absolute_url()).text


@pytest.mark.django_db
def test_tag_deleted_in_the_admin_leaves_the_story_page_at_once(
    client, page_cache_on, newsroom, django_capture_on_commit_callbacks
):
    editor = logged_in(make_editor())
    tag = newsroom.tags.get(name="سوريا")
    link = f'href="{tag.get_absolute_url()}"'
    assert link in client.get(newsroom.get_absolute_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"/admin/articles/tag/{tag.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert link not in client.get(newsroom.get_absolute_url()).text


@pytest.mark.django_db
def test_tag_merge_shows_at_once_on_both_tag_pages(client, page_cache_on, django_capture_on_commit_callbacks):
    make_article("خبر عن سوريا", published=True, tags=["سوريا"])
    make_article("خبر عن سورية", published=True, tags=["سورية"])
    assert "خبر عن سورية" not in client.get("/tag/سوريا/").text
    assert client.get("/tag/سورية/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        tags_merge(keep=Tag.objects.get(name="سوريا"), tags=list(Tag.objects.all()), by=None)

    assert "خبر عن سورية" in client.get("/tag/سوريا/").text
    assert client.get("/tag/سورية/")["Location"] == Tag.objects.get(name="سوريا").get_absolute_url()  # 301


@pytest.fixture
def clock(monkeypatch):
    """The site's clock (timezone.now(), and time.time() that the page generation reads), moved on by the test
    rather than waited for: a story's time comes when the test says, however slow the machine. Moved by less than
    the page cache's 300 seconds, or the cached pages would simply expire, whatever the generation says."""
    real_now, real_time = timezone.now, time.time
    offset = timezone.timedelta()

    def advance(**delta):
        nonlocal offset
        offset += timezone.timedelta(**delta)

    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)
    monkeypatch.setattr(time, "time", lambda: real_time() + offset.total_seconds())
    return advance


@pytest.mark.django_db
def test_publish_scheduled_brings_out_a_story_scheduled_behind_the_page_cache_s_back(
    client, page_cache_on, newsroom, django_capture_on_commit_callbacks
):
    # A story scheduled by a queryset update() (a script, an import) sends no signal, so the generation never learnt
    # its time; the publisher flipping it once it is due is what refreshes the pages.
    story = make_article("بدء جلسة مجلس الشعب", section=newsroom.section)
    assert "بدء جلسة مجلس الشعب" not in client.get("/").text
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.SCHEDULED, published_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    assert "بدء جلسة مجلس الشعب" not in client.get("/").text

    with django_capture_on_commit_callbacks(execute=True):
        Article.publish_due()
    assert Article.objects.get(pk=story.pk).status == Article.Status.PUBLISHED
    assert "بدء جلسة مجلس الشعب" in client.get("/").text


@pytest.mark.django_db
def test_scheduled_story_appears_on_a_cached_page_at_its_time(
    client, page_cache_on, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article("بدء جلسة مجلس الشعب")
        story.publish(by=None, at=timezone.now() + timezone.timedelta(minutes=2))
    assert story.status == Article.Status.SCHEDULED
    assert "بدء جلسة مجلس الشعب" not in client.get("/").text

    clock(minutes=2)

    assert "بدء جلسة مجلس الشعب" in client.get("/").text


@pytest.mark.django_db
def test_worker_processes_without_redis_agree_through_the_stamp_file(
    client, settings, page_cache_on, newsroom, django_capture_on_commit_callbacks
):
    """Each process has its own memory cache; a change saved by another worker reaches this one's pages through
    the stamp file, which is all that new_generation() writes there."""
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.section.save()
    written = settings.NEWSROOM_PAGE_CACHE_STAMP.read_text()
    assert queries_for(client, "/")[1] > 0
    assert queries_for(client, "/")[1] == 0

    # What another worker's new_generation() leaves in the file:
    settings.NEWSROOM_PAGE_CACHE_STAMP.write_text("generation-of-another-process:")
    assert written != settings.NEWSROOM_PAGE_CACHE_STAMP.read_text()
    assert queries_for(client, "/")[1] > 0


@pytest.mark.django_db
def test_stamp_file_is_readable_by_every_user(settings, page_cache_on):
    """A management command run as root (or a deploy user) writes it too; web workers running as another user
    must still read it."""
    page_cache.new_generation()
    assert settings.NEWSROOM_PAGE_CACHE_STAMP.stat().st_mode & 0o777 == 0o644


@pytest.mark.django_db
@pytest.mark.parametrize("unreadable", ["directory", "path under a file"])
def test_unreadable_stamp_serves_pages_uncached_and_warns_once(
    client, settings, page_cache_on, newsroom, tmp_path, caplog, monkeypatch, unreadable
):
    """What a stamp file written 0600 by another user is to a web worker. Tests run as root, whom chmod 000 does
    not stop, so the read fails here the way root's would not: the stamp is a directory, or under a file."""
    monkeypatch.setattr(page_cache, "_stamp_failing", False)
    if unreadable == "directory":
        (tmp_path / "stamp").mkdir()
        settings.NEWSROOM_PAGE_CACHE_STAMP = tmp_path / "stamp"
    else:
        (tmp_path / "file").write_text("")
        settings.NEWSROOM_PAGE_CACHE_STAMP = tmp_path / "file" / "stamp"

    with caplog.at_level(logging.WARNING):
        for _request in range(3):
            response, queries = queries_for(client, "/")
            assert response.status_code == 200
            assert "الأمطار تعود إلى دمشق" in response.text
            assert queries > 0
    assert [(record.name, record.levelname) for record in caplog.records] == [("articles.page_cache", "WARNING")]

    # Once the stamp can be read again, pages are cached again.
    settings.NEWSROOM_PAGE_CACHE_STAMP = tmp_path / "page-generation"
    client.get("/")
    assert queries_for(client, "/")[1] == 0


@pytest.mark.django_db
def test_stamp_that_cannot_be_written_after_a_change_is_a_warning(
    settings, page_cache_on, newsroom, tmp_path, caplog, django_capture_on_commit_callbacks
):
    (tmp_path / "file").write_text("")
    settings.NEWSROOM_PAGE_CACHE_STAMP = tmp_path / "file" / "stamp"
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        rename_section(newsroom)
    assert [(record.name, record.levelname) for record in caplog.records] == [("articles.page_cache", "WARNING")]


# --- What no public page shows leaves the cached pages alone --------------------------------------------------


@pytest.fixture
def draft(newsroom):
    """A writer's draft in the newsroom's section, by its author: made before any page is cached."""
    writer = make_user("writer")
    return make_article(
        "مسودة عن السدود", section=newsroom.section, authors=[newsroom.authors.get()], tags=["طقس"],
        created_by=writer,
    )


def cached_pages(client, story):
    pages = ["/", story.get_absolute_url(), f"/section/{story.section.slug}/", "/feed/"]
    pages += ["/sitemap.xml", sitemap_page("articles", story.pk)]
    for url in pages:
        client.get(url)
    return pages


def assert_still_cached(client, pages):
    for url in pages:
        assert queries_for(client, url)[1] == 0, url


@pytest.mark.django_db
def test_saving_what_readers_see_unchanged_leaves_cached_pages_cached(
    client, page_cache_on, newsroom, django_capture_on_commit_callbacks
):
    # The live story, its lead photo, section, author and tag, and the support box, each saved from its form as opened.
    editor = logged_in(make_editor())
    urls = [change_url(newsroom)] + [
        f"/admin/articles/{model}/{pk}/change/" for model, pk in [
            ("photo", newsroom.lead_photo_id), ("section", newsroom.section_id),
            ("person", newsroom.authors.get().pk), ("tag", newsroom.tags.get(name="سوريا").pk),
            ("supportappeal", SupportAppeal.objects.get().pk),
        ]
    ]
    forms = {url: admin_form_data(editor, url) for url in urls}
    pages = cached_pages(client, newsroom)

    for url, data in forms.items():
        with django_capture_on_commit_callbacks(execute=True):
            response = editor.post(url, data)
        assert response.status_code == 302
    assert_still_cached(client, pages)

    # The section's form with a word changed is saved, and shown at once.
    section_url = urls[2]
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(section_url, forms[section_url] | {"name_ar": "شؤون سياسية"}).status_code == 302
    assert "شؤون سياسية" in client.get("/").text


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["save", "submit for review"])
def test_writer_saving_a_draft_leaves_cached_pages_cached(
    client, page_cache_on, newsroom, draft, action, django_capture_on_commit_callbacks
):
    pages = cached_pages(client, newsroom)
    writer = Client()
    writer.force_login(draft.created_by)
    button = {"_submit_for_review": "Save and send for review"} if action == "submit for review" else {}

    with django_capture_on_commit_callbacks(execute=True):
        response = writer.post(
            change_url(draft),
            admin_form_data(writer, change_url(draft), headline_ar="مسودة ثانية عن السدود", **button),
        )
    assert response.status_code == 302
    saved = Article.objects.get(pk=draft.pk)
    assert saved.headline_ar == "مسودة ثانية عن السدود"
    assert saved.status == (Article.Status.IN_REVIEW if button else Article.Status.DRAFT)
    assert_still_cached(client, pages)


@pytest.mark.django_db
def test_uploading_a_photo_leaves_cached_pages_cached(
    client, page_cache_on, newsroom, django_capture_on_commit_callbacks
):
    pages = cached_pages(client, newsroom)
    editor = logged_in(make_editor())
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            "/admin/articles/photo/add/",
            {"image": image_upload("saha.jpg"), "caption_ar": "ساحة", "credit_ar": "عدسة", "alt_text_ar": "ساحة"},
        )
    assert response.status_code == 302
    assert Photo.objects.latest("pk").renditions["sizes"]  # its renditions were written too
    assert_still_cached(client, pages)


@pytest.mark.django_db
def test_captioning_photos_no_public_page_shows_leaves_cached_pages_cached(
    client, page_cache_on, newsroom, draft, django_capture_on_commit_callbacks
):
    # The photo desk's day: a batch uploaded, then each photo captioned and credited in the library; a draft's lead
    # photo, which readers do not see before the story is published; the portrait of a contributor just invited.
    portrait = make_photo()
    make_person("سارة حداد", photo=portrait)
    pages = cached_pages(client, newsroom)
    editor = logged_in(make_editor())
    for photo in [make_photo(caption=""), draft.lead_photo, portrait]:
        url = f"/admin/articles/photo/{photo.pk}/change/"
        with django_capture_on_commit_callbacks(execute=True):
            response = editor.post(url, admin_form_data(editor, url, caption_ar="سد الفرات", credit_ar="عدسة رامي"))
        assert response.status_code == 302
        assert Photo.objects.get(pk=photo.pk).caption_ar == "سد الفرات"
    assert_still_cached(client, pages)


@pytest.mark.django_db
def test_renaming_a_tag_only_drafts_carry_leaves_cached_pages_cached(
    client, page_cache_on, newsroom, draft, django_capture_on_commit_callbacks
):
    draft.tags.add("سد الفرات")
    pages = cached_pages(client, newsroom)
    tag = Tag.objects.get(name="سد الفرات")
    with django_capture_on_commit_callbacks(execute=True):
        tag.name_ar, tag.name_en = "سد الطبقة", "Tabqa Dam"
        tag.save()
    assert_still_cached(client, pages)


@pytest.mark.django_db
def test_deleting_a_photo_no_public_page_shows_leaves_cached_pages_cached(
    client, page_cache_on, newsroom, django_capture_on_commit_callbacks
):
    pages = cached_pages(client, newsroom)
    editor = logged_in(make_editor())
    # A duplicate upload; a story or a portrait using a photo keeps it from being deleted (on_delete=PROTECT).
    duplicate = make_photo()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"/admin/articles/photo/{duplicate.pk}/delete/", {"post": "yes"})
        refused = editor.post(f"/admin/articles/photo/{newsroom.lead_photo_id}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Photo.objects.filter(pk=duplicate.pk).exists()
    assert refused.status_code == 200
    assert Photo.objects.filter(pk=newsroom.lead_photo_id).exists()
    assert_still_cached(client, pages)


@pytest.mark.django_db
def test_writer_naming_a_new_tag_on_a_draft_leaves_cached_pages_cached(
    client, page_cache_on, newsroom, draft, django_capture_on_commit_callbacks
):
    pages = cached_pages(client, newsroom)
    writer = Client()
    writer.force_login(draft.created_by)
    with django_capture_on_commit_callbacks(execute=True):
        response = writer.post(change_url(draft), admin_form_data(writer, change_url(draft), new_tags="سد الفرات"))
    assert response.status_code == 302
    assert Tag.objects.get(name="سد الفرات") in Article.objects.get(pk=draft.pk).tags.all()
    assert_still_cached(client, pages)


@pytest.mark.django_db
def test_inviting_a_contributor_or_describing_one_readers_do_not_meet_yet_leaves_cached_pages_cached(
    client, page_cache_on, newsroom, draft, django_capture_on_commit_callbacks
):
    # Readers meet a person with their first published byline or credit, which starts its own generation.
    second_author = make_person("سامر الديري")
    draft.authors.add(second_author, through_defaults={"order": 1})
    pages = cached_pages(client, newsroom)
    administrator = Client()
    administrator.force_login(make_user(ROLE_ADMINISTRATOR))
    invitation = {
        "email": "sara@example.org", "name_ar": "سارة حداد", "name_en": "Sara Haddad", "role": ROLE_WRITER,
        "person_role": Person.Role.REPORTER, "person_role_gender": Person.Gender.FEMININE, "person": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        invited = administrator.post("/admin/auth/user/invite/", invitation)
    url = reverse("admin:articles_person_change", args=[second_author.pk])
    with django_capture_on_commit_callbacks(execute=True):
        described = administrator.post(url, admin_form_data(administrator, url, bio_ar="مراسل من دير الزور"))
    assert invited.status_code == described.status_code == 302
    assert Person.objects.filter(name_ar="سارة حداد").exists()
    assert Person.objects.get(pk=second_author.pk).bio_ar == "مراسل من دير الزور"
    assert_still_cached(client, pages)


@pytest.mark.django_db
def test_editing_a_story_scheduled_for_later_leaves_cached_pages_cached(
    client, page_cache_on, newsroom, draft, django_capture_on_commit_callbacks
):
    # The night desk polishing the morning's stories. Readers see them only at their time, when the generation ends
    # anyway (test_scheduled_story_appears_on_a_cached_page_at_its_time).
    at = timezone.now() + timezone.timedelta(hours=8)
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=draft.pk).publish(by=None, at=at)
    pages = cached_pages(client, newsroom)
    editor = logged_in(make_editor())
    url = change_url(draft)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            url, admin_form_data(editor, url, headline_ar="السدود تفيض في الصباح", new_tags="فيضان")
        )
        Article.objects.get(pk=draft.pk).authors.add(make_person("نور الهدى"), through_defaults={"order": 1})
        make_photo().inline_in.add(draft)
        Tag.objects.filter(name="فيضان").update(name_en="Flood")
        Tag.objects.get(name="فيضان").save()  # a tag only the scheduled story carries, named in English
        photo_url = f"/admin/articles/photo/{draft.lead_photo_id}/change/"
        recaptioned = editor.post(photo_url, admin_form_data(editor, photo_url, caption_ar="سد الفرات فجرًا"))
    assert response.status_code == recaptioned.status_code == 302
    story = Article.objects.get(pk=draft.pk)
    assert (story.status, story.published_at, story.headline_ar) == (
        Article.Status.SCHEDULED, at, "السدود تفيض في الصباح"
    )
    assert {tag.name for tag in story.tags.all()} == {"طقس", "فيضان"}
    assert_still_cached(client, pages)

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=draft.pk).publish(by=None, at=at - timezone.timedelta(hours=2))
    assert queries_for(client, "/")[1] > 0  # moved: the new generation knows the new time


@pytest.mark.django_db
def test_an_older_copy_saving_a_story_back_onto_its_schedule_brings_it_out_at_its_time(
    client, page_cache_on, clock, draft, django_capture_on_commit_callbacks
):
    # A form or a script read the scheduled story; meanwhile another editor unpublished it, and the generation that
    # followed expects no story. The older copy's save writes the schedule back.
    at = timezone.now() + timezone.timedelta(minutes=2)
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=draft.pk).publish(by=None, at=at)
    older = Article.objects.get(pk=draft.pk)
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=draft.pk).unpublish(by=None)
    assert "مسودة عن السدود" not in client.get("/").text

    with django_capture_on_commit_callbacks(execute=True):
        older.headline_ar = "السدود تفيض"
        older.save()
    assert Article.objects.get(pk=draft.pk).status == Article.Status.SCHEDULED
    assert "السدود تفيض" not in client.get("/").text
    clock(minutes=2)
    assert "السدود تفيض" in client.get("/").text


@pytest.mark.django_db
def test_an_older_copy_saving_a_published_story_back_onto_its_schedule_takes_it_off_at_once(
    client, page_cache_on, newsroom, draft, django_capture_on_commit_callbacks
):
    # The mirror case: a copy read while the story was scheduled; meanwhile an editor published it at once. Another
    # story due sooner means the generation's due time alone would not refresh the pages.
    at = timezone.now() + timezone.timedelta(hours=8)
    with django_capture_on_commit_callbacks(execute=True):
        make_article("خبر مجدول آخر").publish(by=None, at=timezone.now() + timezone.timedelta(hours=1))
        Article.objects.get(pk=draft.pk).publish(by=None, at=at)
    older = Article.objects.get(pk=draft.pk)
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=draft.pk).publish(by=None, at=timezone.now())
    assert "مسودة عن السدود" in client.get("/").text

    with django_capture_on_commit_callbacks(execute=True):
        older.headline_ar = "مسودة عن السدود بعد التعديل"
        older.save()
    assert Article.objects.get(pk=draft.pk).status == Article.Status.SCHEDULED
    assert "مسودة عن السدود" not in client.get("/").text


@pytest.mark.django_db
def test_edit_to_a_scheduled_story_whose_time_came_before_the_save_shows_at_once(
    client, page_cache_on, clock, newsroom, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=draft.pk).publish(by=None, at=timezone.now() + timezone.timedelta(minutes=2))
    opened = Article.objects.get(pk=draft.pk)  # an editor opens it just before its time
    clock(minutes=2)
    assert "مسودة عن السدود" in client.get("/").text  # its time came: cached under the generation after it

    with django_capture_on_commit_callbacks(execute=True):
        opened.headline_ar = "السدود تفيض"
        opened.save()
    assert "السدود تفيض" in client.get("/").text


@pytest.mark.django_db
def test_new_renditions_refresh_pages_only_where_the_photo_shows(
    client, page_cache_on, newsroom, draft, django_capture_on_commit_callbacks
):
    unused = make_photo()
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        ensure_renditions(unused, force=True)
        ensure_renditions(draft.lead_photo, force=True)
    assert queries_for(client, "/")[1] == 0

    with django_capture_on_commit_callbacks(execute=True):
        ensure_renditions(newsroom.lead_photo, force=True)
    assert queries_for(client, "/")[1] > 0


def publish_draft(newsroom, draft):
    Article.objects.get(pk=draft.pk).publish(by=None)


def schedule_draft(newsroom, draft):
    Article.objects.get(pk=draft.pk).publish(by=None, at=timezone.now() + timezone.timedelta(hours=3))


def edit_published(newsroom, draft):
    story = Article.objects.get(pk=newsroom.pk)
    story.summary_ar = "ملخص جديد"
    story.save()


def unpublish(newsroom, draft):
    # The very instance that was published (not one loaded since): it still knows it was on the site.
    newsroom.unpublish(by=None)


def trash_published(newsroom, draft):
    Article.objects.get(pk=newsroom.pk).move_to_trash(by=None)


def move_focal_point_of_lead_photo(newsroom, draft):
    editor = Client()
    editor.force_login(make_editor(username="photo-editor"))
    url = f"/admin/articles/photo/{newsroom.lead_photo_id}/change/"
    assert editor.post(url, admin_form_data(editor, url, focal_x="20", focal_y="30")).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [publish_draft, schedule_draft, edit_published, unpublish, trash_published, move_focal_point_of_lead_photo],
)
def test_changes_readers_can_see_start_a_new_generation(
    client, page_cache_on, newsroom, draft, change, django_capture_on_commit_callbacks
):
    client.get("/")
    before = page_cache.current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        change(newsroom, draft)
    assert page_cache.current_generation() != before
    assert queries_for(client, "/")[1] > 0


@pytest.mark.django_db
def test_scheduling_a_story_sets_when_the_next_generation_is_due(
    settings, page_cache_on, newsroom, draft, django_capture_on_commit_callbacks
):
    page_cache.current_generation()
    at = timezone.now() + timezone.timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=draft.pk).publish(by=None, at=at)
    assert float(settings.NEWSROOM_PAGE_CACHE_STAMP.read_text().partition(":")[2]) == at.timestamp()


# --- Staff and private pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_carry_nothing_of_the_visitor(client, newsroom):
    """Rendered without the cache, a logged-in editor and an anonymous reader get the same bytes, and nothing
    in the answer depends on who asked (no cookie set, no Vary: Cookie): so one cached page serves both."""
    editor = logged_in(make_editor())
    for url in public_pages(newsroom):
        anonymous, staff = client.get(url), editor.get(url)
        assert staff.content == anonymous.content, url
        assert not staff.cookies, url
        assert "Cookie" not in staff.get("Vary", ""), url


@pytest.mark.django_db
def test_logged_in_editor_gets_and_fills_the_same_page_as_readers(client, page_cache_on, newsroom):
    editor = logged_in(make_editor())
    url = newsroom.get_absolute_url()

    filled_by_editor, _queries = queries_for(editor, url)
    read, queries = queries_for(client, url)
    assert queries == 0
    assert read.content == filled_by_editor.content

    caches["default"].clear()
    filled_by_reader, _queries = queries_for(client, url)
    seen_by_editor, queries = queries_for(editor, url)
    assert queries == 0
    assert seen_by_editor.content == filled_by_reader.content


@pytest.mark.django_db
def test_admin_pages_are_never_cached(page_cache_on, newsroom):
    editor = logged_in(make_editor())
    for url in ["/admin/", change_url(newsroom), "/admin/articles/article/", "/en/admin/"]:
        editor.get(url)
        response, queries = queries_for(editor, url)
        assert response.status_code == 200, url
        assert queries > 0, url
        assert {"private", "no-store"} <= cache_control(response), url
    assert "public" not in cache_control(Client().get("/admin/login/"))


@pytest.mark.django_db
def test_previews_are_never_cached(client, page_cache_on):
    draft = make_article("مسودة تحقيق لم ينشر")
    editor = logged_in(make_editor())
    signed = f"/preview/s/{preview.preview_token(draft)}/"
    for visitor, url in [(editor, f"/preview/{draft.pk}/"), (client, signed), (client, f"/en{signed}")]:
        visitor.get(url)
        response, queries = queries_for(visitor, url)
        assert response.status_code in (200, 404), url
        assert queries > 0, url
        assert {"private", "no-store"} <= cache_control(response), url
    assert "مسودة تحقيق" in queries_for(client, signed)[0].text


# --- Headers ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_tell_a_cdn_how_long_to_keep_them(client, page_cache_on, newsroom):
    for url in public_pages(newsroom):
        for response in (client.get(url), client.get(url)):
            assert cache_control(response) == {"public", "max-age=0", "s-maxage=60", "stale-while-revalidate=30"}
            # The language is in the address: a CDN must not keep one copy per browser language.
            assert response.get("Vary") == "Accept-Encoding", url


@pytest.mark.django_db
def test_public_pages_are_gzipped_for_browsers_that_accept_it(client, page_cache_on, newsroom):
    for _request in range(2):
        response = client.get(newsroom.get_absolute_url(), headers={"accept-encoding": "gzip, br"})
        assert response["Content-Encoding"] == "gzip"
        assert "الأمطار تعود إلى دمشق" in gzip.decompress(response.content).decode()
        assert len(response.content) < len(client.get(newsroom.get_absolute_url()).content) / 2


@pytest.mark.django_db
def test_with_the_cache_off_each_reader_gets_the_encoding_asked_for(client, settings, newsroom):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    url = newsroom.get_absolute_url()
    packed = client.get(url, headers={"accept-encoding": "gzip"})
    plain = client.get(url)
    assert packed["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert packed["Vary"] == plain["Vary"] == "Accept-Encoding"
    assert "الأمطار تعود إلى دمشق" in gzip.decompress(packed.content).decode() and "الأمطار تعود إلى دمشق" in plain.text
    assert client.get(url, headers={"if-none-match": plain["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_with_the_cache_off_a_page_is_compressed_only_for_a_client_that_takes_gzip(
    client, settings, newsroom, monkeypatch
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    compressed_for = []
    compress = page_cache._compress

    def watched(request, response):
        compressed_for.append(request.META["HTTP_ACCEPT_ENCODING"])
        return compress(request, response)

    monkeypatch.setattr(page_cache, "_compress", watched)
    client.get(newsroom.get_absolute_url())
    assert compressed_for == [""]  # the plain copy only: no gzip made for nobody
    client.get(newsroom.get_absolute_url(), headers={"accept-encoding": "gzip"})
    assert compressed_for == ["", "gzip"]


@pytest.mark.django_db
def test_a_cached_page_is_compressed_once_not_on_every_request(client, page_cache_on, newsroom):
    # Django's gzip adds random padding (against BREACH) each time it compresses, so identical bytes on every
    # request mean the page went out as compressed when it was rendered: no CPU spent per reader.
    url = newsroom.get_absolute_url()
    bodies = {client.get(url, headers={"accept-encoding": "gzip"}).content for _request in range(3)}
    assert len(bodies) == 1
    plain = client.get(url)
    assert "Content-Encoding" not in plain and plain["Vary"] == "Accept-Encoding"
    assert gzip.decompress(bodies.pop()) == plain.content
    # A conditional request with the compressed copy's (weak) ETag is still a 304.
    etag = client.get(url, headers={"accept-encoding": "gzip"})["ETag"]
    assert etag.startswith('W/"')
    assert client.get(url, headers={"accept-encoding": "gzip", "if-none-match": etag}).status_code == 304


@pytest.mark.django_db
def test_arabic_address_is_arabic_whatever_the_browser_asks_for(client, page_cache_on, newsroom):
    assert 'lang="ar"' in client.get("/", headers={"accept-language": "en"}).text
    assert 'lang="ar"' in client.get("/", headers={"accept-language": "en"}).text


@pytest.mark.django_db
def test_conditional_get_answers_not_modified_from_the_cache(
    client, page_cache_on, newsroom, django_capture_on_commit_callbacks
):
    url = newsroom.get_absolute_url()
    first = client.get(url)
    assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT")

    for headers in ({"if-none-match": first["ETag"]}, {"if-modified-since": first["Last-Modified"]}):
        response, queries = queries_for(client, url, **headers)
        assert response.status_code == 304, headers
        assert queries == 0
        assert response.content == b""
        assert response["ETag"] == first["ETag"]
        assert "public" in cache_control(response)

    # Rendered again (here: after the cache lost it), the same page has the same ETag: still 304.
    caches["default"].clear()
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        newsroom.headline_ar = "الأمطار تعود إلى حمص"
        newsroom.save()
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert "الأمطار تعود إلى حمص" in changed.text
    assert changed["ETag"] != first["ETag"]


# --- No inline script or style, so a cached page needs no per-request nonce ---------------------------------


class _InlineCode(HTMLParser):
    """Everything on a page that a Content-Security-Policy would need a nonce or 'unsafe-inline' for."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json":
            self.found.append(f"inline <script {attrs}>")
        if tag == "style":
            self.found.append("<style> element")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")


@pytest.mark.django_db
def test_public_pages_carry_no_inline_script_or_style(client, newsroom):
    sensitive = make_photo(is_sensitive=True)
    graphic = make_article("صور من موقع القصف", published=True, lead_photo=sensitive, tags=["سوريا"])
    for url in [*html_pages(newsroom), graphic.get_absolute_url(), "/article/999999/x/", "/search/?q="]:
        parser = _InlineCode()
        parser.feed(client.get(url).content.decode())
        assert parser.found == [], url


@pytest.mark.django_db
def test_a_page_that_used_its_csp_nonce_is_never_cached(page_cache_on, rf):
    # A nonce printed into a page belongs to that response's Content-Security-Policy header alone: a cached copy
    # would be served under later headers with other nonces, and its inline script would be blocked.
    from django.http import HttpResponse
    from django.utils.csp import LazyNonce

    from articles.page_cache import PageCacheMiddleware

    renders = []

    def view(request):
        renders.append(1)
        return HttpResponse(f'<script nonce="{request._csp_nonce}">1</script>')

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        request = rf.get("/")
        request._csp_nonce = LazyNonce()
        assert middleware(request).status_code == 200
    assert len(renders) == 2

    def plain(request):
        renders.append(1)
        return HttpResponse("<p>1</p>")

    middleware, renders[:] = PageCacheMiddleware(plain), []
    for _ in range(2):
        request = rf.get("/")
        request._csp_nonce = LazyNonce()
        middleware(request)
    assert len(renders) == 1
