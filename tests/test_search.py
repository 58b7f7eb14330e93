"""The reader's search: Arabic spelling variants, ranking, filters, pages, snippets, and what readers may see.

Every test here runs the same way on SQLite and on PostgreSQL (DATABASE_URL=postgres://…).
"""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.search import SearchDocument, excerpt, highlight, normalise, plain_text, query_words
from articles.templatetags.newsroom import newsroom_date
from tests.factories import make_article, make_photo, make_section

pytestmark = pytest.mark.django_db


def found(client, query, url="/search/", **params):
    """The ids of the articles a search page lists, in order (``query`` None: the address holds it already)."""
    response = client.get(url, {"q": query, **params} if query is not None else params)
    assert response.status_code == 200
    links = re.findall(r'class="search-result__headline"><a href="[^"]*/article/(\d+)/', response.text)
    return [int(pk) for pk in links]


# Normalisation


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("الأسد", "الاسد"),
        ("إدلب", "ادلب"),
        ("آذار", "اذار"),
        ("ٱلقرآن", "القران"),
        ("مستشفى", "مستشفي"),
        ("المدينة", "المدينه"),
        ("مسؤول", "مسءول"),
        ("مسئول", "مسءول"),
        ("شؤون", "شءون"),
        ("الرئيس", "الرءيس"),
        ("الحَرْبُ", "الحرب"),
        ("سـوريـــا", "سوريا"),
        ("عام ٢٠٢٤", "عام 2024"),
        ("عام ۲۰۲۴", "عام 2024"),
        ("ﻻجئون", "لاجءون"),
        ("Damascus  AND\tAleppo", "damascus and aleppo"),
        ("دمشق، حلب؟ «حمص»", "دمشق حلب حمص"),
    ],
)
def test_normalise_folds_the_spellings_readers_use(written, folded):
    assert normalise(written) == folded


def test_normalise_keeps_the_lone_hamza_so_water_is_not_what():
    assert normalise("ماء") == "ماء" != normalise("ما")


def test_plain_text_keeps_paragraphs_apart_and_decodes_entities():
    assert plain_text("<p>الأسد</p><p>بوتين &amp; أردوغان</p><ul><li>أ</li><li>ب</li></ul>") == (
        "الأسد بوتين & أردوغان أ ب"
    )


def test_highlight_marks_the_original_spelling_with_its_diacritics():
    assert highlight("قال الأَسَدُ اليوم", query_words("الاسد")) == "قال <mark>الأَسَدُ</mark> اليوم"


def test_highlight_escapes_everything_but_the_marks():
    assert highlight("<b>الأسد</b> & <script>", query_words("اسد")) == (
        "&lt;b&gt;ال<mark>أسد</mark>&lt;/b&gt; &amp; &lt;script&gt;"
    )


def test_excerpt_is_cut_around_the_first_match():
    text = "بداية " * 80 + "التقى الرئيسُ وفداً " + "نهاية " * 80
    passage = excerpt(text, query_words("رئيس"))
    assert "ال<mark>رئيسُ</mark>" in passage
    assert passage.startswith("… ") and passage.endswith(" …")
    assert len(passage) < 300


# Spelling variants


@pytest.mark.parametrize(
    ("headline", "query"),
    [
        ("لقاء الأسد مع وفد روسي", "الاسد"),
        ("لقاء الاسد مع وفد روسي", "الأسد"),
        ("خطاب الرئيس في دمشق", "رئيس"),
        ("الحَرْبُ في الشَّمال", "الحرب"),
        ("الحرب في الشمال", "الحَرْبُ"),
        ("مسؤول أممي يزور حلب", "مسئول"),
        ("وزارة الشئون الاجتماعية", "الشؤون"),
        ("افتتاح مدرسة في إدلب", "مدرسه"),
        ("عودة إلى الجامعة", "الي"),
        ("ميزانية عام ٢٠٢٤", "2024"),
        ("ميزانية عام 2024", "٢٠٢٤"),
        ("سـوريـــا اليوم", "سوريا"),
        # The bare form finds the form with the article, and the other way round, plurals and ة included.
        ("نتائج الانتخابات البلدية", "انتخابات"),
        ("افتتاح المدرسة الجديدة", "مدرسة"),
        ("حكومة جديدة في بيروت", "الحكومة"),
        ("وزارة الشؤون الاجتماعية", "شؤون"),
    ],
)
def test_search_finds_spelling_variants(client, headline, query):
    article = make_article(headline, published=True)
    make_article("خبر لا علاقة له", published=True)
    assert found(client, query) == [article.pk]


def test_search_looks_in_summary_and_body_too(client):
    in_summary = make_article("عنوان أول", summary_ar="اجتماع في القنيطرة", published=True)
    in_body = make_article("عنوان ثان", body_ar="<p>وصل الوفد إلى <strong>القنيطرة</strong> صباحاً.</p>", published=True)
    assert set(found(client, "القنيطره")) == {in_summary.pk, in_body.pk}


def test_every_word_must_occur(client):
    both = make_article("الأسد يستقبل وفداً من موسكو", published=True)
    make_article("الأسد يلقي خطاباً", published=True)
    assert found(client, "الاسد موسكو") == [both.pk]


def test_headline_ranks_above_summary_above_body(client):
    now = timezone.now()
    # The body match is the newest and the headline match the oldest, so recency alone would reverse them.
    headline = make_article("زيارة إلى تدمر", summary_ar="ملخص", published=True,
                            published_at=now - timezone.timedelta(hours=5))
    summary = make_article("عنوان آخر", summary_ar="زيارة إلى تدمر", published=True,
                           published_at=now - timezone.timedelta(hours=3))
    body = make_article("عنوان ثالث", body_ar="<p>قام الوفد بزيارة إلى تدمر.</p>", published=True,
                        published_at=now - timezone.timedelta(hours=1))
    assert found(client, "تدمر") == [headline.pk, summary.pk, body.pk]


def test_equal_matches_come_newest_first(client):
    now = timezone.now()
    older = make_article("قصف على حماة", published=True, published_at=now - timezone.timedelta(days=2))
    newer = make_article("قصف على حماة مجدداً", published=True, published_at=now - timezone.timedelta(hours=2))
    assert found(client, "حماه") == [newer.pk, older.pk]


# What readers may see


def test_search_never_shows_what_readers_cannot_see(client):
    visible = make_article("انتخابات بلدية في درعا", published=True)
    make_article("انتخابات بلدية في درعا: مسودة")
    make_article("انتخابات بلدية في درعا: مجدولة", published=True,
                 published_at=timezone.now() + timezone.timedelta(days=1))
    trashed = make_article("انتخابات بلدية في درعا: محذوفة", published=True)
    trashed.move_to_trash(by=None)
    withdrawn = make_article("انتخابات بلدية في درعا: مسحوبة", published=True)
    withdrawn.unpublish(by=None)
    assert found(client, "انتخابات درعا") == [visible.pk]


def test_index_follows_an_edited_headline(client):
    article = make_article("اجتماع في حمص", published=True)
    article.headline_ar = "اجتماع في اللاذقية"
    article.save()
    assert found(client, "حمص") == []
    assert found(client, "اللاذقيه") == [article.pk]


def test_rebuild_command_indexes_articles_saved_before_the_index(client):
    article = make_article("مؤتمر صحفي في طرطوس", published=True)
    SearchDocument.objects.all().delete()
    assert found(client, "طرطوس") == []
    call_command("rebuild_search_index", verbosity=0)
    assert found(client, "طرطوس") == [article.pk]


# English


@pytest.fixture
def editions():
    translated = make_article(
        "الانتخابات في الشمال", published=True,
        headline_en="Elections in the north", summary_en="Voters queue in Idlib.",
        body_en="<p>The elections were held on Sunday.</p>",
    )
    arabic_only = make_article("الانتخابات في الجنوب", body_ar="<p>جرت الانتخابات يوم الأحد.</p>", published=True)
    return translated, arabic_only


def test_english_search_finds_translated_articles_with_english_rules(client, editions):
    translated, _arabic_only = editions
    assert found(client, "ELECTION", url="/en/search/") == [translated.pk]
    assert found(client, "idlib", url="/en/search/") == [translated.pk]


def test_english_search_leaves_out_arabic_text_and_the_arabic_search_english_text(client, editions):
    translated, arabic_only = editions
    assert found(client, "الانتخابات", url="/en/search/") == []
    assert found(client, "elections") == []
    assert set(found(client, "الانتخابات")) == {translated.pk, arabic_only.pk}


def test_english_result_links_stay_in_english(client, editions):
    response = client.get("/en/search/", {"q": "elections"})
    assert 'href="/en/article/' in response.text
    assert "<mark>Elections</mark> in the north" in response.text


# Filters and pagination


def test_search_filters_by_section(client):
    politics, economy = make_section("سياسة", slug="سياسة"), make_section("اقتصاد", slug="اقتصاد")
    wanted = make_article("أسعار الخبز ترتفع", section=economy, published=True)
    make_article("أسعار الخبز في البرلمان", section=politics, published=True)
    assert found(client, "الخبز", section="اقتصاد") == [wanted.pk]


def test_search_filters_by_date_range(client):
    now = timezone.now()
    old = make_article("فيضان في دير الزور", published=True, published_at=now - timezone.timedelta(days=40))
    recent = make_article("فيضان جديد في دير الزور", published=True, published_at=now - timezone.timedelta(days=2))
    since = (now - timezone.timedelta(days=10)).date().isoformat()
    until = (now - timezone.timedelta(days=30)).date().isoformat()
    assert found(client, "فيضان", **{"from": since}) == [recent.pk]
    assert found(client, "فيضان", to=until) == [old.pk]


def test_results_are_paginated_and_page_links_keep_the_search(client):
    desk = make_section("محليات", slug="محليات")
    photo = make_photo()
    for number in range(23):
        make_article(f"حريق رقم {number} في السوق", section=desk, lead_photo=photo, published=True)
    response = client.get("/search/", {"q": "حريق", "section": "محليات"})
    assert len(found(client, "حريق", section="محليات")) == 20
    links = re.findall(r'href="\?([^"]*page=2)"', response.text)
    assert links and all("section=" in link and "q=" in link for link in links)
    second = client.get("/search/?" + links[0].replace("&amp;", "&"))
    assert second.status_code == 200
    assert len(re.findall(r'class="search-result"', second.text)) == 3


OLDER_LINK = re.compile(r'class="search-page__older"><a href="\?([^"]+)">([^<]+)</a>')


def windows(client, params):
    """Every window of results a reader reaches by following the older-stories link: (ids, page text) each."""
    seen = []
    while params is not None:
        response = client.get("/search/", params)
        assert response.status_code == 200
        links = re.findall(r'class="search-result__headline"><a href="[^"]*/article/(\d+)/', response.text)
        ids = [int(pk) for pk in links]
        seen.append((ids, response.text))
        older = OLDER_LINK.search(response.text)
        params = QueryDict(older.group(1).replace("&amp;", "&")) if older else None
        assert len(seen) < 10, "the older links go round in circles"
    return seen


@pytest.fixture
def window_of_three(monkeypatch):
    monkeypatch.setattr("articles.search.RANKED_MATCHES", 3)


def at_noon(days_ago, hours=0):
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    return noon - timezone.timedelta(days=days_ago, hours=hours)


def test_only_the_newest_matches_are_ranked_and_the_older_ones_are_a_link_away(client, window_of_three):
    # Newest first: three body matches, then a headline match (the best) and another body match.
    newest = [make_article(f"عنوان {n}", published=True, published_at=at_noon(n + 1),
                           body_ar="<p>وصل الوفد إلى منبج.</p>") for n in range(3)]
    best_but_older = make_article("منبج تستقبل الوفد", published=True, published_at=at_noon(10))
    oldest = make_article("عنوان أخير", published=True, published_at=at_noon(20), body_ar="<p>جولة في منبج.</p>")
    (first, first_text), (second, second_text) = windows(client, {"q": "منبج"})
    assert first == [story.pk for story in newest]
    assert "أكثر من 3 نتائج" in first_text
    # The link names the day the next window starts from, in the reader's calendar.
    older = OLDER_LINK.search(first_text).group(2)
    assert older == f"أخبار أقدم، من {newsroom_date(newest[-1].published_at)} فما قبل"
    # The next window goes on where the first stopped, ranked afresh: nothing repeated, nothing skipped.
    assert second == [best_but_older.pk, oldest.pk]
    assert "أكثر من" not in second_text


def test_a_day_with_more_matches_than_a_window_is_read_to_its_end(client, window_of_three):
    same_day = [make_article(f"سيول في الرقة {hour}", published=True, published_at=at_noon(5, hours=hour))
                for hour in range(5)]
    day_before = make_article("سيول سابقة في الرقة", published=True, published_at=at_noon(6))
    reached = windows(client, {"q": "سيول", "to": at_noon(5).date().isoformat()})
    assert [ids for ids, _text in reached] == [
        [story.pk for story in same_day[:3]], [*(story.pk for story in same_day[3:]), day_before.pk]
    ]


def test_the_older_link_keeps_the_filters_and_ends_with_the_range(client, window_of_three):
    desk = make_section("محليات", slug="محليات")
    stories = [make_article(f"حريق في السوق {n}", published=True, section=desk, published_at=at_noon(n + 1))
               for n in range(6)]
    make_article("حريق خارج القسم", published=True, published_at=at_noon(2))
    make_article("حريق قبل المدة", published=True, section=desk, published_at=at_noon(9))
    reached = windows(client, {"q": "حريق", "section": "محليات", "from": at_noon(6).date().isoformat()})
    assert [ids for ids, _text in reached] == [[s.pk for s in stories[:3]], [s.pk for s in stories[3:]]]


def test_exactly_a_window_of_matches_is_counted_with_no_older_link(client, window_of_three):
    for n in range(3):
        make_article(f"مهرجان في صور {n}", published=True)
    [(ids, text)] = windows(client, {"q": "مهرجان"})
    assert len(ids) == 3
    assert re.search(r'class="search-page__count"[^>]*>\s*3 نتائج', text)
    assert "أكثر من" not in text and "search-page__older" not in text


@pytest.mark.parametrize(
    "before", ["abc", "1.", ".5", "1.5.5", "999999999999999999.1", "-99999999999999999.1", "1" * 40 + ".1", "١٢.٣"]
)
def test_a_damaged_older_link_is_explained_in_arabic(client, before):
    make_article("حريق في السوق", published=True)
    response = client.get("/search/", {"q": "حريق", "before": before})
    assert response.status_code == 200
    assert "هذا الرابط إلى النتائج الأقدم تالف: ابحث من جديد." in response.text
    assert "search-result__headline" not in response.text


def test_days_are_the_newsroom_s_days(client):
    day = at_noon(3).date()
    midnight = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
    minutes = timezone.timedelta(minutes=1)
    after = make_article("زلزال بعد منتصف الليل", published=True, published_at=midnight + 30 * minutes)
    before = make_article("زلزال قبل منتصف الليل", published=True, published_at=midnight - 10 * minutes)
    assert found(client, "زلزال", **{"from": day.isoformat()}) == [after.pk]
    assert found(client, "زلزال", to=(day - timezone.timedelta(days=1)).isoformat()) == [before.pk]
    assert found(client, "زلزال", **{"from": "0001-01-01", "to": "9999-12-31"}) == [after.pk, before.pk]


# Helpful pages, never errors


def test_empty_search_shows_a_hint_and_no_results(client):
    make_article("خبر منشور", published=True)
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "؟!،"}):
        response = client.get("/search/", params)
        assert response.status_code == 200
        assert 'class="search-page__hint"' in response.text
        # Nothing was searched for: no count, no "nothing found", and the plain title.
        assert "search-page__count" not in response.text
        assert "لا يطابق البحث" not in response.text
        assert "search-results" not in response.text
        assert re.search(r"<title>\s*بحث\b(?!:)", response.text)


def test_search_with_no_match_says_so_and_keeps_the_words(client):
    make_article("خبر منشور", published=True)
    response = client.get("/search/", {"q": "زلزال"})
    assert response.status_code == 200
    assert re.search(r'class="search-page__count"[^>]*>\s*لا نتائج', response.text)
    assert "لا يطابق البحثَ أيُّ خبر" in response.text
    assert 'class="search-page__hint"' not in response.text
    assert re.search(r'<input[^>]*name="q"[^>]*value="زلزال"', response.text)
    assert re.search(r"<title>\s*بحث: زلزال", response.text)


def test_overlong_search_gets_a_clear_message(client):
    response = client.get("/search/", {"q": "سوريا " * 60})
    assert response.status_code == 200
    assert "البحث طويل جداً" in response.text
    assert "search-results" not in response.text


def test_a_word_typed_many_times_is_searched_once(client):
    # «ﷺ» is one character that folds into four words: 62 of them were 248 words, and a server error.
    story = make_article("صلى الله عليه وسلم", published=True)
    for query in ("ﷺ" * 62, "ﷺ " * 62, "حلب " * 45):
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert 'class="search-page__error"' not in response.text
    assert story.get_absolute_url() in client.get("/search/", {"q": "ﷺ " * 62}).text


@pytest.mark.parametrize("path", ["/search/", "/en/search/"])
def test_too_many_words_get_a_clear_message(client, path):
    make_article("a b c", published=True, headline_en="a b c", body_en="<p>a b c</p>")
    response = client.get(path, {"q": " ".join(f"w{number}" for number in range(21)) + " a"})
    assert response.status_code == 200
    assert 'class="search-page__error"' in response.text
    assert "search-results" not in response.text
    if path == "/search/":
        assert "كلمات كثيرة" in response.text


def test_twenty_words_all_in_a_story_find_it(client):
    # Each word nests the query one level deeper: SQLite's parser gave up near 85 words that all matched.
    words = [f"كلمة{chr(0x0661 + number % 9)}{'ب' * (number // 9 + 1)}" for number in range(20)]
    make_article("خبر طويل", published=True, body_ar=f"<p>{' '.join(words)}</p>")
    response = client.get("/search/", {"q": " ".join(words)})
    assert response.status_code == 200
    assert "خبر طويل" in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"q": "حلب", "from": "2024-13-45"},
        {"q": "حلب", "to": "أمس"},
        {"q": "حلب", "from": "99999-01-01"},
        {"q": "حلب", "from": "2024-05-01", "to": "2024-01-01"},
        {"q": "حلب", "section": "لا-يوجد"},
        {"q": "حلب\x00"},
        {"q": "حلب", "page": "-1"},
        {"q": ["حلب", "حمص"]},
    ],
)
def test_hostile_parameters_get_a_page_not_an_error(client, params):
    make_article("حلب اليوم", published=True)
    response = client.get("/search/", params)
    assert response.status_code == 200


def test_a_bad_date_is_explained_in_arabic(client):
    response = client.get("/search/", {"q": "حلب", "from": "2024-13-45"})
    assert 'class="search-page__error"' in response.text
    assert "أدخل التاريخ" in response.text


def test_query_with_like_wildcards_matches_them_literally(client):
    make_article("خبر عادي", published=True)
    assert found(client, "%") == []
    assert found(client, "_") == []


# The page


def test_snippet_marks_the_match_in_the_text_as_written(client):
    make_article("عنوان", summary_ar="", body_ar="<p>قال الرئيسُ إن المفاوضات مستمرة.</p>", published=True)
    response = client.get("/search/", {"q": "رئيس"})
    assert "ال<mark>رئيسُ</mark>" in response.text


def test_hostile_text_in_an_article_is_escaped_on_the_results_page(client):
    make_article(
        "<img src=x onerror=alert(1)> تقرير الأسد", summary_ar="",
        body_ar="<p>&lt;script&gt;alert(1)&lt;/script&gt; الأسد</p>", published=True,
    )
    response = client.get("/search/", {"q": "الاسد"})
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>الأسد</mark>" in response.text


def test_results_page_shows_the_count_and_is_not_indexed(client):
    for _ in range(3):
        make_article("غلاء الأسعار", published=True)
    response = client.get("/search/", {"q": "الاسعار"})
    assert 'class="search-page__count"' in response.text
    assert re.search(r'class="search-page__count"[^>]*>\s*3\b', response.text)
    assert '<meta name="robots" content="noindex">' in response.text


def test_every_page_has_a_search_box_for_its_own_edition(client):
    arabic = client.get("/").text
    english = client.get("/en/").text
    assert re.search(r'<form[^>]*role="search"[^>]*action="/search/"', arabic)
    assert re.search(r'<form[^>]*role="search"[^>]*action="/en/search/"', english)
    assert '<label class="visually-hidden" for="site-search-q">' in arabic


def test_robots_txt_keeps_crawlers_out_of_search(client):
    lines = client.get("/robots.txt").text.splitlines()
    assert "Disallow: /search/" in lines and "Disallow: /en/search/" in lines


def test_results_page_costs_the_same_queries_for_3_or_20_results(client, django_assert_max_num_queries):
    photo = make_photo()
    for _ in range(3):
        make_article("انقطاع الكهرباء في حلب", lead_photo=photo, published=True)
    with CaptureQueriesContext(connection) as few:
        assert len(found(client, "الكهرباء")) == 3
    for _ in range(17):
        make_article("انقطاع الكهرباء في حمص", lead_photo=photo, published=True, section=make_section())
    # Sections for the navigation and the form, the count, the page of results: nothing per result.
    with django_assert_max_num_queries(len(few)):
        assert len(found(client, "الكهرباء")) == 20
    assert len(few) <= 6


def test_article_deleted_for_good_leaves_the_index(client):
    article = make_article("خبر سيحذف", published=True)
    article.move_to_trash(by=None)
    article.delete_for_good(by=None)
    assert not SearchDocument.objects.filter(article_id=article.pk).exists()
    assert Article.objects.count() == 0


def test_demo_newsroom_is_searchable_in_both_editions(client):
    call_command("seed_demo", verbosity=0)
    # «المدارس تفتح أبوابها في حمص…», typed without the hamza.
    assert found(client, "ابوابها حمص")
    assert found(client, "classrooms", url="/en/search/")


@pytest.mark.django_db(transaction=True)
def test_sqlite_search_answers_from_the_trigram_index_kept_in_step_with_every_change(client, admin_client):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL searches its own tsvector and trigram indexes")
    with connection.cursor() as cursor:
        if ("ENABLE_FTS5",) not in cursor.execute("PRAGMA compile_options").fetchall():
            pytest.skip("this SQLite is built without FTS5: searches read the documents (migration 0015)")
    story = make_article("الحكومة تقر الموازنة العامة", published=True, body_ar="<p>جلسة طويلة في البرلمان.</p>")
    with CaptureQueriesContext(connection) as queries:
        assert found(client, "حكومة") == [story.pk]
    assert any("articles_searchdocument_fts MATCH" in query["sql"] for query in queries.captured_queries)
    # The index follows every change of the documents: an edit, a word of two letters (read without the index),
    # the admin's search, a deletion.
    story.headline_ar = "البرلمان يقر الموازنة العامة"
    story.save()
    assert found(client, "حكومة") == []
    assert found(client, "برلمان طويلة") == [story.pk]
    assert found(client, "قر") == [story.pk]
    assert story.headline in admin_client.get("/admin/articles/article/", {"q": "موازن"}).content.decode()
    story.delete()
    assert found(client, "موازنة") == []


def test_sqlite_walks_the_archive_for_a_common_word_and_finds_what_the_index_finds(client, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL chooses between its plans itself, from its statistics")
    with connection.cursor() as cursor:
        if ("ENABLE_FTS5",) not in cursor.execute("PRAGMA compile_options").fetchall():
            pytest.skip("this SQLite is built without FTS5: searches read the documents (migration 0015)")
    monkeypatch.setattr("articles.search.RANKED_MATCHES", 4)
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    stories = [
        make_article(f"عنوان {n}", published=True, published_at=noon - timezone.timedelta(days=n),
                     body_ar="<p>اجتماع للحكومة في عمّان.</p>" if n % 2 else "<p>لا شيء هنا.</p>")
        for n in range(12)
    ]
    hidden = make_article("الحكومة: مسودة", body_ar="<p>اجتماع للحكومة.</p>")
    make_article("الحكومة: مجدولة", published=True, published_at=noon + timezone.timedelta(days=2))
    hidden.move_to_trash(by=None)

    def searched():
        with CaptureQueriesContext(connection) as queries:
            ids = found(client, "حكومة")
        walked = any('+"articles_searchdocument"."id" IN' in query["sql"] for query in queries.captured_queries)
        return ids, walked

    from_the_matches, walked = searched()
    assert not walked
    monkeypatch.setattr("articles.search.COMMON_MATCHES", 2)
    from_the_archive, walked = searched()
    assert walked
    # The newest four stories holding the word, either way, and nothing readers may not see.
    assert from_the_archive == from_the_matches == [story.pk for story in stories if story.body_ar.count("حكومة")][:4]


@pytest.mark.parametrize("typed", ["المياه", "بالمياه", "للمياه", "والمياه", "مياه"])
def test_a_word_typed_with_a_letter_joined_before_its_article_finds_every_form(client, typed):
    water = make_article("أزمة المياه في درعا", published=True)
    by_water = make_article("مزارعون يروون بالمياه المالحة", published=True)
    make_article("خبر عن الكهرباء", published=True)

    assert sorted(found(client, typed)) == sorted([water.pk, by_water.pk])


def test_a_word_that_only_looks_prefixed_keeps_its_letters(client):
    parents = make_article("رسالة إلى والدين فقدوا أبناءهم", published=True)
    make_article("ندوة عن الدين والدولة", published=True)

    assert found(client, "والدين") == [parents.pk]


@pytest.mark.parametrize("typed", ["المياه", "مياه", "الحكومة"])
def test_a_story_printing_the_word_after_wa_or_fa_is_found_by_the_word(client, typed):
    # «و» (and) and «ف» (so) join the word they precede: prose prints «والمياه» far more often than «المياه».
    water = make_article("انقطاع الكهرباء والمياه في حلب", published=True)
    government = make_article("اجتماع فالحكومة تعلن خطة", published=True)

    expected = [government.pk] if typed == "الحكومة" else [water.pk]
    assert found(client, typed) == expected


def test_a_parent_is_not_taken_for_wa_and_the_article(client):
    # «والدتها» (her mother) and «والديهم» (their parents) are whole words: set aside like «والمياه», «دتها» would
    # find «عودتها» (her return) and «ديهم» «لديهم» (they have).
    mother = make_article("توفيت والدتها أمس", published=True)
    parents = make_article("زار والديهم في حلب", published=True)
    unrelated = make_article("عودتها إلى حلب ولديهم أمل", published=True)

    # PostgreSQL's stemmer makes both words والد, a parent: each finds the other there, never the unrelated story.
    for typed, story in (("والدتها", mother), ("والديهم", parents)):
        assert story.pk in found(client, typed) and unrelated.pk not in found(client, typed)


def test_the_vector_rule_sets_aside_what_the_query_rule_does():
    from articles.search import JOINED_BEFORE_ARTICLE, without_article

    for word in ("والمياه", "فالحكومه", "والدوله"):
        assert re.sub(JOINED_BEFORE_ARTICLE, r"\1\2", word) == "ال" + without_article(word)
    assert re.sub(JOINED_BEFORE_ARTICLE, r"\1\2", "والنفط") == "والنفط" == without_article("والنفط")


def test_an_arabic_word_quoted_in_an_english_story_is_found_as_printed(client):
    story = make_article(
        "خبر", published=True, headline_en="The word «والحكومة» in Damascus", body_en="<p>Text.</p>",
    )

    assert found(client, "والحكومة", url="/en/search/") == [story.pk]
