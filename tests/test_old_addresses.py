"""Old links answer 301 to the page here: WordPress's (the permalink, /?p=ID, /archives/ID, the old slug, category, tag
and author archives), a merged tag's and a section's former slug."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.models import OldAddress
from articles.old_addresses import OldAddressMiddleware, address_key, remember

from .factories import make_article, make_user

pytestmark = pytest.mark.django_db

PERMALINK = "https://old.example/2019/03/%d8%b3%d9%88%d8%b1%d9%8a%d8%a7-news/"
PERMALINK_PATH = "/2019/03/سوريا-news"


def imported(**fields):
    """A published story with the four addresses the WordPress importer gives each post."""
    story = make_article(published=True, **fields)
    remember(story, [PERMALINK, "/?p=123", "/archives/123", "/old-slug/"])
    return story


def stored():
    return dict(OldAddress.objects.values_list("path", "article_id"))


def test_remember_stores_decoded_paths_without_host_or_trailing_slash():
    story = imported()

    assert stored() == {
        PERMALINK_PATH: story.pk, "/?p=123": story.pk, "/archives/123": story.pk, "/old-slug": story.pk,
    }


def test_remember_reads_upper_case_percent_encoding_and_index_php_alike():
    story = make_article(published=True)

    keys = remember(story, [PERMALINK.upper().replace("HTTPS://OLD.EXAMPLE", ""), "/index.php?p=0123"])

    assert keys == ["/2019/03/سوريا-NEWS", "/?p=123"]


def test_remember_skips_addresses_this_site_answers_itself():
    story = make_article(published=True, tags=("سوريا",))

    keys = remember(story, [
        "/", "https://old.example/", "/search/", "/search", "/en/", "/feed/", story.get_absolute_url(),
        "/tag/سوريا/", "/?p=abc", "/?p=-1", "/bad\x00path/", "/" + "x" * 2000,
    ])

    assert keys == []
    assert not OldAddress.objects.exists()


def test_remember_gives_an_address_to_the_newest_import_and_stores_each_once():
    first, second = imported(), make_article(published=True)

    remember(second, ["/archives/123", "/archives/123/", "https://old.example/archives/123"])

    assert OldAddress.objects.get(path="/archives/123").article == second
    assert OldAddress.objects.filter(article=first).count() == 3


@pytest.mark.parametrize("address", [
    PERMALINK_PATH + "/",
    PERMALINK_PATH,
    "/2019/03/%d8%b3%d9%88%d8%b1%d9%8a%d8%a7-news/",
    "/2019/03/%D8%B3%D9%88%D8%B1%D9%8A%D8%A7-news/",
    PERMALINK_PATH + "/?utm_source=facebook&utm_medium=social",
    "/?p=123",
    "/?p=123&utm_source=x",
    "/index.php?p=123",
    "/archives/123",
    "/archives/123/",
    "/old-slug/",
    "/old-slug",
])
def test_old_address_answers_301_to_the_story(client, address):
    story = imported()

    response = client.get(address)

    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_head_is_redirected_too_but_a_post_is_not(client):
    story = imported()

    assert client.head("/archives/123").status_code == 301
    assert client.head("/?p=123")["Location"] == story.get_absolute_url()
    assert client.post("/archives/123").status_code != 301


def test_redirect_goes_to_the_arabic_edition_after_an_english_request(client):
    story = imported(headline_en="English headline", body_en="<p>English body.</p>")
    client.get("/en/")

    response = client.get("/archives/123")

    assert response["Location"] == story.get_absolute_url()
    assert not response["Location"].startswith("/en/")


def test_redirect_follows_a_changed_slug_to_the_current_address(client):
    story = imported()
    story.slug_ar = "عنوان-جديد"
    story.save()

    assert client.get("/?p=123")["Location"] == f"/article/{story.pk}/{quote('عنوان-جديد')}/"


def unpublished_story():
    story = make_article()
    remember(story, ["/?p=123", "/archives/123"])
    return story


def trashed_story():
    story = imported()
    story.move_to_trash(by=None)
    return story


def scheduled_story():
    story = make_article()
    story.publish(by=None, at=timezone.now() + timezone.timedelta(hours=3))
    remember(story, ["/?p=123", "/archives/123"])
    return story


def withdrawn_story():
    story = imported()
    story.unpublish(by=None)
    return story


@pytest.mark.parametrize("make_story", [unpublished_story, trashed_story, scheduled_story, withdrawn_story])
def test_old_address_of_a_story_readers_may_not_see_stays_404(client, make_story):
    make_story()

    assert client.get("/archives/123").status_code == 404
    assert client.get("/?p=123").status_code == 404


@pytest.mark.parametrize("address", [
    "/?p=abc", "/?p=-1", "/?p=99999999999999999999", "/?p=", "/?p=١٢٣", "/?p=1%002", "/index.php?p=abc",
    "/?p=124", "/" + "a" * 5000, "/" + "س" * 3000 + "/", "/archives/1%00", "/%00", "/%ff%fe/",
])
def test_hostile_or_unknown_old_addresses_answer_404_never_500(client, address):
    imported()

    assert client.get(address).status_code == 404


def test_unknown_post_id_gets_the_arabic_not_found_page_not_the_home_page(client):
    imported()
    client.get("/en/")

    response = client.get("/?p=999")

    assert response.status_code == 404
    assert 'lang="ar"' in response.text


def test_ordinary_pages_cost_no_query_and_a_404_one(django_assert_num_queries):
    imported()
    middleware = OldAddressMiddleware(lambda request: HttpResponse("page"))
    not_found = OldAddressMiddleware(lambda request: HttpResponse("missing", status=404))
    factory = RequestFactory()

    with django_assert_num_queries(0):
        for address in ["/", "/?page=2", "/section/x/", "/article/1/x/", "/archives/123?utm_source=x"]:
            assert middleware(factory.get(address)).status_code == 200
    with django_assert_num_queries(1):
        assert not_found(factory.get("/archives/123")).status_code == 301
    with django_assert_num_queries(0):  # no address could be stored under these: no query at all
        assert not_found(factory.get("/" + "a" * 5000)).status_code == 404


def test_home_page_itself_still_answers_200(client):
    imported()

    assert client.get("/").status_code == 200
    assert client.get("/?utm_source=x").status_code == 200


def test_middleware_runs_before_the_page_cache():
    middleware = settings.MIDDLEWARE
    assert middleware.index("articles.old_addresses.OldAddressMiddleware") < middleware.index(
        "articles.page_cache.PageCacheMiddleware"
    )


def test_page_cache_never_keeps_the_home_page_under_a_post_id(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    story = imported()
    assert client.get("/").status_code == 200  # the home page, now in the cache

    assert client.get("/?p=123")["Location"] == story.get_absolute_url()
    assert client.get("/?p=124").status_code == 404
    assert client.get("/?p=123").status_code == 301


def test_a_post_id_on_a_folder_home_is_kept_with_its_folder():
    assert address_key("/blog/", "p=7") == "/blog/?p=7"
    assert address_key("/blog/index.php", "p=07&utm_source=x") == "/blog/?p=7"
    assert address_key("/index.php", "p=7") == address_key("/", "p=7") == "/?p=7"
    assert address_key("/blog/", "p=abc") is None
    assert address_key("/blog/", "utm_source=x") == "/blog"


def test_remember_never_stores_a_link_whose_query_it_would_drop():
    story = make_article(published=True)

    keys = remember(story, ["http://x.example/blog/?p=7", "http://x.example/blog/?page_id=5", "/news/?cat=3"])

    assert keys == ["/blog/?p=7"]


def test_folder_post_ids_answer_their_own_story_not_the_first_one(client):
    first, second = make_article(published=True), make_article(published=True)
    remember(first, ["http://x.example/blog/?p=7"])
    remember(second, ["http://x.example/blog/index.php?p=8"])

    assert client.get("/blog/?p=7")["Location"] == first.get_absolute_url()
    assert client.get("/blog/index.php?p=8")["Location"] == second.get_absolute_url()
    assert client.get("/blog/?p=8")["Location"] == second.get_absolute_url()
    assert client.get("/blog/").status_code == 404
    assert client.get("/blog/?p=9").status_code == 404


@pytest.mark.parametrize("address", [
    "/index.php/archives/123/", "/index.php/archives/123", "/index.php/2019/03/سوريا-news/",
    "/index.php/old-slug/",
])
def test_path_info_permalinks_with_index_php_answer_301(client, address):
    story = imported()

    response = client.get(address)

    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_an_index_php_address_is_stored_without_it():
    story = make_article(published=True)

    assert remember(story, ["https://old.example/index.php/2019/03/x/"]) == ["/2019/03/x"]


@pytest.mark.django_db
def test_a_sections_old_address_answers_301_after_its_slug_changes(client):
    from articles.models import Section
    from tests.test_admin_flow import admin_form_data

    section = Section.objects.create(name_ar="رأي", slug="رأي")
    make_article(section=section, published=True)
    old_page = section.get_absolute_url()
    client.force_login(make_user("editor"))
    url = reverse("admin:articles_section_change", args=[section.pk])

    assert client.post(url, admin_form_data(client, url, slug="آراء")).status_code == 302

    moved = client.get(old_page)
    assert moved.status_code == 301 and moved["Location"] == Section.objects.get().get_absolute_url()
