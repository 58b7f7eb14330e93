"""Date archive pages: /archive/<year>/[<month>/[<day>/]] list what readers could read, by the newsroom's clock."""

import datetime
import xml.etree.ElementTree as ET
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_person, make_photo, make_section
from tests.plans import sqlite_instructions

DAMASCUS = zoneinfo.ZoneInfo("Asia/Damascus")


def at(*parts):
    return datetime.datetime(*parts, tzinfo=DAMASCUS)


@pytest.fixture
def stories():
    return {
        # 23:30 in Damascus on 31 January is already 1 February nowhere but west of it: it belongs to 31 January.
        "late_night": make_article("خبر منتصف الليل", published=True, published_at=at(2024, 1, 31, 23, 30)),
        "february": make_article("خبر شباط", published=True, published_at=at(2024, 2, 1, 0, 30)),
        "last_year": make_article("خبر العام الماضي", published=True, published_at=at(2023, 6, 10, 12, 0)),
    }


def headlines(response):
    return [article.headline for article in response.context["page"].object_list]


@pytest.mark.django_db
def test_day_page_lists_a_late_night_story_under_its_local_day(client, stories):
    response = client.get("/archive/2024/1/31/")
    assert response.status_code == 200
    assert headlines(response) == ["خبر منتصف الليل"]
    assert "31 كانون الثاني 2024" in response.content.decode()
    assert headlines(client.get("/archive/2024/2/1/")) == ["خبر شباط"]


@pytest.mark.django_db
def test_month_page_lists_that_months_stories_with_the_arabic_month_name(client, stories):
    response = client.get("/archive/2024/1/")
    assert headlines(response) == ["خبر منتصف الليل"]
    assert "كانون الثاني 2024" in response.content.decode()
    assert headlines(client.get("/archive/2024/2/")) == ["خبر شباط"]


@pytest.mark.django_db
def test_year_page_lists_the_years_stories_newest_first(client, stories):
    assert headlines(client.get("/archive/2024/")) == ["خبر شباط", "خبر منتصف الليل"]
    assert headlines(client.get("/archive/2023/")) == ["خبر العام الماضي"]


@pytest.mark.django_db
def test_the_hour_lived_twice_when_clocks_go_back_at_midnight_stays_in_its_day(client):
    """Damascus turned its clocks back from 00:00 to 23:00 on 29 October 2021: 28 October had two 23:30s."""
    second_pass = datetime.datetime(2021, 10, 28, 21, 30, tzinfo=datetime.UTC)  # 23:30, the second time
    assert second_pass.astimezone(DAMASCUS).day == 28
    make_article("خبر الساعة المكررة", published=True, published_at=second_pass)
    assert headlines(client.get("/archive/2021/10/28/")) == ["خبر الساعة المكررة"]
    assert headlines(client.get("/archive/2021/10/29/")) == []
    found = client.get("/search/", {"q": "المكررة", "from": "2021-10-28", "to": "2021-10-28"})
    assert [story.headline for story in found.context["page"].object_list] == ["خبر الساعة المكررة"]


@pytest.mark.django_db
def test_english_archive_uses_english_month_names(client, stories):
    response = client.get("/en/archive/2024/1/")
    assert response.status_code == 200
    assert "January 2024" in response.content.decode()


@pytest.mark.django_db
def test_drafts_and_scheduled_stories_never_appear(client):
    make_article("مسودة لم تنشر")
    future = timezone.now() + datetime.timedelta(days=2)
    make_article("خبر مجدول", published=True, published_at=future)
    local = timezone.localtime(future)
    for url in (f"/archive/{local.year}/", f"/archive/{local.year}/{local.month}/",
                f"/archive/{local.year}/{local.month}/{local.day}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert headlines(response) == []
        assert "خبر مجدول" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/archive/2024/13/", "/archive/2024/0/", "/archive/2024/2/30/",
                                 "/archive/2023/2/29/", "/archive/0/", "/en/archive/2024/4/31/",
                                 # Past what a C int holds: datetime refuses them with OverflowError, not ValueError.
                                 "/archive/2147483648/", "/archive/2024/2147483648/", "/archive/2024/1/2147483648/",
                                 f"/archive/{'9' * 30}/", f"/en/archive/2024/1/{'9' * 30}/"])
def test_impossible_dates_are_not_found(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_valid_period_without_stories_is_an_empty_page_search_engines_leave_out(client):
    response = client.get("/archive/2024/2/29/")
    assert response.status_code == 200
    assert headlines(response) == []
    assert '<meta name="robots" content="noindex">' in response.text


@pytest.mark.django_db
def test_a_period_with_stories_is_left_for_search_engines_to_index(client, stories):
    response = client.get("/archive/2024/2/")
    assert headlines(response) and "noindex" not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/archive/1/", "/archive/1/1/1/", "/archive/1899/12/31/", "/archive/9999/",
                                 "/archive/9999/12/31/", "/en/archive/9999/12/"])
def test_the_first_and_last_years_a_calendar_holds_are_empty_pages(client, stories, url):
    # Their midnights moved to UTC would fall outside what a database's time holds.
    response = client.get(url)
    assert response.status_code == 200
    assert headlines(response) == []


@pytest.mark.django_db
def test_a_period_is_a_range_of_instants_on_the_newsroom_clock(client, stories):
    """Read as instants, which the newest-first index serves, not as each story's date computed in SQL."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/archive/2024/1/")
    assert headlines(response) == ["خبر منتصف الليل"]
    listing = next(query["sql"] for query in queries.captured_queries if "LIMIT" in query["sql"])
    assert "EXTRACT" not in listing.upper() and "django_datetime" not in listing


def publish_many(n, day=(2024, 3, 5)):
    section, photo = make_section(), make_photo()
    for i in range(n):
        make_article(f"خبر {i}", published=True, section=section, lead_photo=photo,
                     published_at=at(*day, 8, 0) + datetime.timedelta(minutes=i))


@pytest.mark.django_db
def test_numbered_pagination_links_pages_and_marks_the_current_one(client):
    publish_many(25)
    first = client.get("/archive/2024/3/").content.decode()
    assert '<a href="?page=1" aria-current="page">1</a>' in first
    assert '<a href="?page=2">2</a>' in first
    assert 'href="?page=2" rel="next"' in first
    second = client.get("/archive/2024/3/?page=2")
    html = second.content.decode()
    assert len(second.context["page"].object_list) == 5
    assert '<a href="?page=2" aria-current="page">2</a>' in html
    assert '<a href="?page=1">1</a>' in html
    assert 'href="?page=1" rel="prev"' in html


@pytest.mark.django_db
def test_long_listings_elide_distant_pages(client):
    from articles import views

    publish_many(25)
    links = client.get("/archive/2024/3/?page=2").context["page"].links
    assert [link["number"] for link in links] == [1, 2]
    # A listing of 30 pages shows the ends, neighbours of the current page and gaps between them.
    request = client.get("/archive/2024/").wsgi_request
    request.GET = request.GET.copy()
    request.GET["page"] = "15"
    wide = views.paginate(request, list(range(20 * 30)))
    numbers = [link["number"] for link in wide.links]
    assert numbers[0] == 1 and numbers[-1] == 30 and 15 in numbers
    assert sum(link["gap"] for link in wide.links) == 2
    assert [link["number"] for link in wide.links if link["current"]] == [15]


@pytest.mark.django_db
def test_archive_query_count_does_not_grow_with_the_number_of_stories(client):
    publish_many(3, day=(2024, 4, 1))
    publish_many(25, day=(2024, 5, 1))

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count("/archive/2024/4/") == count("/archive/2024/5/")


@pytest.mark.django_db
def test_a_long_listing_is_counted_only_a_little_past_the_page_asked_for(client, django_assert_max_num_queries):
    # 160 stories make 8 pages; page 1 counts as far as page 3, its links end in a gap, and «Older» goes on.
    section = make_section(name="اقتصاد", slug="economy")
    for i in range(160):
        make_article(f"خبر {i}", published=True, section=section,
                     published_at=at(2024, 3, 5, 8, 0) + datetime.timedelta(minutes=i))

    first = client.get("/section/economy/")
    links = first.context["page"].links
    assert [link["number"] for link in links if not link["gap"]] == [1, 2, 3]
    assert links[-1]["gap"]
    assert 'href="?page=2" rel="next"' in first.content.decode()

    # Stepping on reaches every page, the oldest story included.
    fifth = client.get("/section/economy/?page=5")
    assert [link["number"] for link in fifth.context["page"].links if not link["gap"]] == [1, 2, 3, 4, 5, 6, 7]
    last = client.get("/section/economy/?page=8")
    assert [link["number"] for link in last.context["page"].links][-1] == 8
    assert "خبر 0" in [story.headline for story in last.context["page"].object_list]
    assert 'rel="next"' not in last.content.decode()
    # Past the end, or nonsense: the last page or the first, never an error.
    assert client.get("/section/economy/?page=99").context["page"].number == 8
    assert client.get("/section/economy/?page=" + "9" * 40).status_code == 200
    assert client.get("/section/economy/?page=abc").context["page"].number == 1
    for odd in ("²", "٣", "-1", "1.5", " 2"):
        assert client.get("/section/economy/", {"page": odd}).status_code == 200, odd


@pytest.mark.django_db
def test_a_tag_or_writer_with_many_stories_lists_the_same_stories_in_the_same_order(client, monkeypatch):
    # Past MANY_STORIES the page walks the archive instead of sorting the tag's stories: same page either way.
    from articles import models

    writer = make_person("سلمى العلي")
    for i in range(30):
        make_article(f"خبر الموسم {i}", published=True, tags=["موسم"], authors=[writer],
                     published_at=at(2024, 3, 5, 8, 0) + datetime.timedelta(minutes=i))
    make_article("مسودة الموسم", tags=["موسم"], authors=[writer])
    pages = {}
    for many in (1000, 5):
        monkeypatch.setattr(models, "MANY_STORIES", many)
        for url in ("/tag/موسم/", "/tag/موسم/?page=2", writer.get_absolute_url()):
            pages.setdefault(url, []).append([story.pk for story in client.get(url).context["page"].object_list])
        # The feeds read their stories the same way.
        for url in ("/tag/موسم/feed/", f"{writer.get_absolute_url()}feed/"):
            items = ET.fromstring(client.get(url).content).iter("item")
            pages.setdefault(url, []).append([item.find("link").text for item in items])
    for url, (sorted_way, walked_way) in pages.items():
        assert sorted_way == walked_way and sorted_way, url
    assert len(pages["/tag/موسم/?page=2"][0]) == 10


@pytest.mark.django_db
def test_an_archive_page_steps_to_the_nearest_periods_that_hold_stories(client, settings):
    settings.NEWSROOM_REQUIRE_LEAD_PHOTO = False
    damascus = zoneinfo.ZoneInfo("Asia/Damascus")
    for day in (datetime.date(2024, 1, 15), datetime.date(2024, 3, 10), datetime.date(2024, 6, 1)):
        when = datetime.datetime.combine(day, datetime.time(12), damascus)
        make_article(f"خبر {day}", published=True, published_at=when, lead_photo=None)

    month = client.get("/archive/2024/3/").text
    # February is empty: the link steps over it.
    assert 'href="/archive/2024/1/" rel="prev"' in month and "كانون الثاني 2024" in month
    assert 'href="/archive/2024/6/" rel="next"' in month
    day = client.get("/archive/2024/3/10/").text
    assert 'href="/archive/2024/1/15/" rel="prev"' in day and 'href="/archive/2024/6/1/" rel="next"' in day
    # The ends of the archive: nothing before the first story, nothing after the last, however far one types.
    newest, oldest = client.get("/archive/2024/6/").text, client.get("/archive/1990/1/1/").text
    assert 'rel="next"' not in newest and 'href="/archive/2024/3/" rel="prev"' in newest
    assert 'rel="prev"' not in oldest and 'href="/archive/2024/1/15/" rel="next"' in oldest
    assert 'rel="prev"' not in client.get("/archive/2024/").text


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="counts SQLite's own instructions")
def test_the_link_back_from_an_old_year_is_found_without_reading_the_years_since(client):
    # Its link to the nearest earlier year asks for the newest story before the year. Beside "published up to now"
    # SQLite walked its index from now down to the year, reading every story since (8 ms five years back at
    # 100,000 stories); that walk must not grow with the stories published after the year.
    section = make_section()
    make_article("خبر 2019", published=True, section=section, published_at=at(2019, 6, 1, 12, 0))
    make_article("خبر 2021", published=True, section=section, published_at=at(2021, 6, 1, 12, 0))

    def publish_since(n):
        Article.objects.bulk_create(
            Article(headline_ar=f"خبر لاحق {i}", body_ar="<p>نص.</p>", section=section, status=Article.Status.PUBLISHED,
                    published_at=timezone.now() - datetime.timedelta(hours=i + 1))
            for i in range(n)
        )
        with connection.cursor() as cursor:  # statistics, as a grown archive has them (generate_articles)
            cursor.execute("ANALYZE")

    def work():
        return sqlite_instructions(lambda: client.get("/archive/2021/"))

    publish_since(20)
    with_few = work()
    publish_since(400)
    with_many = work()
    # Reading each of the 400 takes a few dozen instructions a story.
    assert with_many - with_few < 400, (with_few, with_many)
    assert 'href="/archive/2019/" rel="prev"' in client.get("/archive/2021/").text


@pytest.mark.django_db
def test_every_page_leads_to_this_months_archive_and_the_feed(client):
    today = timezone.localdate()
    footer = client.get("/").text.split('<footer class="site-footer">')[1]
    assert f'href="/archive/{today.year}/{today.month}/"' in footer and 'href="/feed/"' in footer
    english = client.get("/en/").text.split('<footer class="site-footer">')[1]
    assert f'href="/en/archive/{today.year}/{today.month}/"' in english
    assert client.get(f"/archive/{today.year}/{today.month}/").status_code == 200


@pytest.mark.django_db
def test_a_story_dated_before_1900_has_its_place_in_the_archive_and_its_links(client, settings):
    settings.NEWSROOM_REQUIRE_LEAD_PHOTO = False
    damascus = zoneinfo.ZoneInfo("Asia/Damascus")
    old = make_article("وثيقة من 1899", published=True, lead_photo=None,
                       published_at=datetime.datetime(1899, 6, 15, 12, tzinfo=damascus))
    new = make_article("خبر من 2020", published=True, lead_photo=None,
                       published_at=datetime.datetime(2020, 5, 1, 12, tzinfo=damascus))

    assert headlines(client.get("/archive/1899/")) == [old.headline_ar]
    assert headlines(client.get("/archive/1899/6/15/")) == [old.headline_ar]
    year = client.get("/archive/1899/").text
    assert 'rel="prev"' not in year and 'href="/archive/2020/" rel="next"' in year
    assert 'href="/archive/1899/" rel="prev"' in client.get("/archive/1900/").text
    assert new.headline_ar not in client.get("/archive/1899/").text


@pytest.mark.django_db
def test_the_year_1_page_does_not_borrow_the_first_day_of_the_year_2(client, settings):
    settings.NEWSROOM_REQUIRE_LEAD_PHOTO = False
    damascus = zoneinfo.ZoneInfo("Asia/Damascus")
    early = make_article("أقدم ما يقبله التقويم", published=True, lead_photo=None,
                         published_at=datetime.datetime(2, 1, 1, 12, tzinfo=damascus))

    assert headlines(client.get("/archive/1/")) == [] and headlines(client.get("/archive/1/12/31/")) == []
    assert headlines(client.get("/archive/2/1/1/")) == [early.headline_ar]


@pytest.mark.django_db
def test_a_mistyped_search_date_is_explained_with_an_example_that_reads_left_to_right(client):
    page = client.get("/search/", {"q": "دمشق", "from": "2026-13-45"})

    # Isolated (U+2066 … U+2069), the example keeps its order year-month-day inside the Arabic sentence; without
    # it the browser shows «15-03-2024».
    assert page.status_code == 200
    assert "أدخل التاريخ بصيغة سنة-شهر-يوم، مثلاً \u20662024-03-15\u2069." in page.text
