"""How dates and numbers read on real pages: Levantine or Egyptian month names, Arabic-Indic or Western digits,
an optional Hijri date; machine-readable datetime attributes stay ISO with Western digits whatever the setting."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone, translation

from articles.templatetags.newsroom import HIJRI_MONTHS, newsroom_hijri_date, newsroom_month
from tests.factories import make_article, make_photo
from tests.test_settings import setting_from_environment

DAMASCUS = zoneinfo.ZoneInfo("Asia/Damascus")
WESTERN = re.compile(r"[0-9]")
ARABIC_INDIC = re.compile(r"[٠-٩]")


def at(*parts):
    return datetime.datetime(*parts, tzinfo=DAMASCUS)


def byline(html):
    return re.search(r'<p class="byline">(.*?)</p>', html, re.S).group(1)


def heading(html):
    return re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))


def datetime_attributes(html):
    return re.findall(r'<time[^>]*\bdatetime="([^"]+)"', html)


@pytest.fixture
def ramadan_story():
    """Published on Friday 15 March 2024 at 14:05, Damascus time: 5 Ramadan 1445 in the Umm al-Qura calendar."""
    return make_article("خبر من رمضان", published=True, published_at=at(2024, 3, 15, 14, 5))


@pytest.mark.django_db
def test_byline_uses_levantine_month_names_and_western_digits_by_default(client, ramadan_story):
    line = byline(client.get(ramadan_story.get_absolute_url()).text)
    assert ">15 آذار 2024</time>" in line
    assert 'title="15 آذار 2024، 14:05"' in line
    assert "هـ" not in line and "byline__hijri" not in line


@pytest.mark.django_db
def test_egyptian_setting_prints_the_gulf_and_egyptian_month_names(client, settings, ramadan_story):
    settings.NEWSROOM_ARABIC_MONTHS = "egyptian"
    assert ">15 مارس 2024</time>" in byline(client.get(ramadan_story.get_absolute_url()).text)
    assert heading(client.get("/archive/2024/3/").text).endswith("مارس 2024")


@pytest.mark.django_db
@pytest.mark.parametrize(("region", "names"), [
    ("levantine", "كانون الثاني شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين الأول تشرين الثاني كانون الأول"),
    ("egyptian", "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر"),
])
def test_every_month_of_the_year_is_named_in_the_chosen_region(settings, region, names):
    settings.NEWSROOM_ARABIC_MONTHS = region
    with translation.override("ar"):
        printed = [newsroom_month(datetime.date(2024, month, 1)) for month in range(1, 13)]
    assert " ".join(label.removesuffix(" 2024") for label in printed) == names


@pytest.mark.django_db
def test_arabic_indic_digits_on_the_byline_but_not_in_datetime_attributes(client, settings, ramadan_story):
    settings.NEWSROOM_DIGITS = "arabic-indic"
    html = client.get(ramadan_story.get_absolute_url()).text
    line = byline(html)
    assert ">١٥ آذار ٢٠٢٤</time>" in line
    assert 'title="١٥ آذار ٢٠٢٤، ١٤:٠٥"' in line
    assert datetime_attributes(line) == [timezone.localtime(ramadan_story.published_at).isoformat()]
    assert all(not ARABIC_INDIC.search(value) for value in datetime_attributes(html))


@pytest.mark.django_db
def test_relative_time_on_a_home_card_in_arabic_indic_digits(client, settings):
    settings.NEWSROOM_DIGITS = "arabic-indic"
    three_hours_ago = timezone.now() - timezone.timedelta(hours=3)
    story = make_article("خبر قبل ثلاث ساعات", published=True, published_at=three_hours_ago)
    html = client.get("/").text
    card = re.search(r'<article class="card">.*?</article>', html, re.S).group(0)
    assert "خبر قبل ثلاث ساعات" in card
    assert ">منذ ٣ ساعات</time>" in card
    assert timezone.localtime(story.published_at).isoformat() in datetime_attributes(card)


@pytest.mark.django_db
def test_archive_headings_in_arabic_indic_digits(client, settings, ramadan_story):
    settings.NEWSROOM_DIGITS = "arabic-indic"
    assert heading(client.get("/archive/2024/").text).endswith("٢٠٢٤")
    assert heading(client.get("/archive/2024/3/").text).endswith("آذار ٢٠٢٤")
    day = client.get("/archive/2024/3/15/").text
    assert heading(day).endswith("١٥ آذار ٢٠٢٤")
    assert "<title>الأرشيف: ١٥ آذار ٢٠٢٤</title>" in day


@pytest.mark.django_db
def test_pagination_numbers_in_arabic_indic_digits_while_links_stay_western(client, settings):
    settings.NEWSROOM_DIGITS = "arabic-indic"
    photo = make_photo()
    for hour in range(21):  # one more than a page
        make_article(published=True, lead_photo=photo, published_at=at(2024, 3, 15, hour, 0))
    html = client.get("/archive/2024/3/").text
    pages = re.search(r'<ol class="pagination__pages">(.*?)</ol>', html, re.S).group(1)
    assert re.search(r'<a href="[^"]*page=1[^"]*" aria-current="page">١</a>', pages)
    assert re.search(r'<a href="[^"]*page=2[^"]*">٢</a>', pages)
    assert not WESTERN.search(re.sub(r"<[^>]+>", "", pages))


@pytest.mark.django_db
def test_english_pages_keep_western_digits_whatever_the_setting(client, settings):
    settings.NEWSROOM_DIGITS = "arabic-indic"
    story = make_article(
        "خبر مترجم", published=True, published_at=at(2024, 3, 15, 14, 5),
        headline_en="Translated story", body_en="<p>Body.</p>",
    )
    english = client.get(f"/en/article/{story.pk}/{story.slug_en}/").text
    assert ">15 March 2024</time>" in byline(english)
    assert heading(client.get("/en/archive/2024/3/").text).endswith("March 2024")
    assert not ARABIC_INDIC.search(english)


@pytest.mark.django_db
def test_hijri_date_beside_the_gregorian_one_when_the_setting_asks(client, settings, ramadan_story):
    settings.NEWSROOM_HIJRI_DATES = True
    line = byline(client.get(ramadan_story.get_absolute_url()).text)
    assert ">15 آذار 2024</time>" in line
    assert '<time class="byline__hijri" datetime="2024-03-15">5 رمضان 1445 هـ</time>' in line
    assert heading(client.get("/archive/2024/3/15/").text).endswith("15 آذار 2024 · 5 رمضان 1445 هـ")


@pytest.mark.django_db
def test_hijri_date_in_arabic_indic_digits(client, settings, ramadan_story):
    settings.NEWSROOM_HIJRI_DATES = True
    settings.NEWSROOM_DIGITS = "arabic-indic"
    line = byline(client.get(ramadan_story.get_absolute_url()).text)
    assert '<time class="byline__hijri" datetime="2024-03-15">٥ رمضان ١٤٤٥ هـ</time>' in line


@pytest.mark.django_db
def test_english_pages_get_the_hijri_date_in_english(client, settings):
    settings.NEWSROOM_HIJRI_DATES = True
    story = make_article(
        "خبر مترجم", published=True, published_at=at(2024, 3, 15, 14, 5),
        headline_en="Translated story", body_en="<p>Body.</p>",
    )
    line = byline(client.get(f"/en/article/{story.pk}/{story.slug_en}/").text)
    assert '<time class="byline__hijri" datetime="2024-03-15">5 Ramadan 1445 AH</time>' in line


@pytest.mark.django_db
def test_hijri_date_is_off_by_default_on_the_day_archive(client, ramadan_story):
    assert heading(client.get("/archive/2024/3/15/").text).endswith("15 آذار 2024")


@pytest.mark.django_db
def test_hijri_month_names_are_the_newsrooms_own_through_a_whole_year(settings):
    settings.NEWSROOM_HIJRI_DATES = True
    # The first day of each month of 1446 AH (Umm al-Qura), from 1 Muharram on 7 July 2024.
    firsts = [(2024, 7, 7), (2024, 8, 5), (2024, 9, 4), (2024, 10, 4), (2024, 11, 3), (2024, 12, 2),
              (2025, 1, 1), (2025, 1, 31), (2025, 3, 1), (2025, 3, 30), (2025, 4, 29), (2025, 5, 28)]
    with translation.override("ar"):
        printed = [newsroom_hijri_date(datetime.date(*day)) for day in firsts]
    assert printed == [f"1 {month} 1446 هـ" for month in HIJRI_MONTHS]
    assert HIJRI_MONTHS[3] == "ربيع الآخر" and HIJRI_MONTHS[5] == "جمادى الآخرة"


@pytest.mark.django_db
@pytest.mark.parametrize("day", [datetime.date(1924, 7, 31), datetime.date(2077, 11, 17), datetime.date(1, 1, 1)])
def test_dates_outside_the_hijri_tables_print_no_hijri_and_raise_nothing(settings, day):
    settings.NEWSROOM_HIJRI_DATES = True
    with translation.override("ar"):
        assert newsroom_hijri_date(day) == ""


@pytest.mark.django_db
def test_story_from_before_the_hijri_tables_renders_without_a_hijri_date(client, settings):
    settings.NEWSROOM_HIJRI_DATES = True
    story = make_article("خبر قديم من الأرشيف", published=True, published_at=at(1920, 5, 1, 9, 0))
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert ">1 أيار 1920</time>" in byline(response.text) and "byline__hijri" not in response.text
    archive = client.get("/archive/1920/5/1/")
    assert archive.status_code == 200 and heading(archive.text).endswith("1 أيار 1920")
    assert client.get("/archive/2090/1/1/").status_code == 200


def test_hijri_dates_setting_is_read_from_the_environment():
    assert setting_from_environment({}, "settings.NEWSROOM_HIJRI_DATES") == "False"
    assert setting_from_environment({"NEWSROOM_HIJRI_DATES": "1"}, "settings.NEWSROOM_HIJRI_DATES") == "True"


@pytest.mark.django_db
def test_the_admin_prints_day_month_year_and_a_24_hour_clock_in_arabic(client):
    from django.utils.formats import date_format

    from tests.factories import make_editor

    evening = datetime.datetime(2026, 11, 30, 20, 16, tzinfo=datetime.UTC)
    with translation.override("ar"):
        assert date_format(evening, "SHORT_DATETIME_FORMAT") == "30/11/2026 20:16"
        # The months as the site and the admin's calendar name them (NEWSROOM_ARABIC_MONTHS), not Django's «نوفمبر».
        assert date_format(evening, "DATETIME_FORMAT") == "30 تشرين الثاني 2026، 20:16"
    client.force_login(make_editor())
    make_article("خبر", published=True, published_at=evening)
    listing = client.get("/admin/articles/article/").text
    shown = timezone.localtime(evening)
    assert f"{shown.day} تشرين الثاني 2026، {shown:%H:%M}" in listing and " م<" not in listing
    assert "نوفمبر" not in listing


@pytest.mark.parametrize(("months", "november"), [("levantine", "تشرين الثاني"), ("egyptian", "نوفمبر")])
def test_the_admins_dates_follow_the_newsrooms_month_names(months, november):
    shown = setting_from_environment(
        {"NEWSROOM_ARABIC_MONTHS": months},
        "__import__('django.utils.translation').utils.translation.activate('ar') or "
        "__import__('django.utils.formats').utils.formats.date_format("
        "__import__('datetime').date(2026, 11, 30), 'DATE_FORMAT')",
    )
    assert shown == f"30 {november} 2026"


@pytest.mark.django_db
def test_an_updated_story_says_when_with_the_date_and_time_apart(client, settings):
    settings.NEWSROOM_REQUIRE_LEAD_PHOTO = False
    story = make_article("خبر", published=True, lead_photo=None)
    story.body_ar = "<p>نص مصحح.</p>"
    story.text_changed_at_ar = story.published_at + datetime.timedelta(hours=3)
    story.save()

    html = client.get(story.get_absolute_url()).text
    updated = html.split('class="story__updated"')[1].split("</p>")[0]
    assert re.search(r"\d{4}، \d{2}:\d{2}</time>", updated)


@pytest.mark.django_db
@pytest.mark.parametrize("fold", [0, 1])
def test_a_story_published_in_the_hour_lived_twice_can_be_saved_again_untouched(client, fold):
    from tests.factories import make_editor
    from tests.test_admin_flow import admin_form_data, change_url

    # Damascus put its clocks back at midnight on 28 October 2021: 23:30 came twice.
    twice = datetime.datetime(2021, 10, 28, 23, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Damascus"), fold=fold)
    story = make_article("خبر من تلك الساعة", published=True, published_at=twice)
    client.force_login(make_editor())
    url = change_url(story)

    response = client.post(url, admin_form_data(client, url, summary_ar="ملخص مصحح"))

    assert response.status_code == 302
    story.refresh_from_db()
    # In UTC: Python never finds a time inside a fold equal to a time of another zone.
    assert story.published_at == twice.astimezone(datetime.UTC) and story.summary_ar == "ملخص مصحح"


@pytest.mark.django_db
def test_a_time_the_clocks_skipped_is_still_refused(client):
    from tests.factories import make_editor
    from tests.test_admin_flow import admin_form_data, change_url

    # Damascus put its clocks forward at midnight on 26 March 2021: 00:30 never happened.
    story = make_article("خبر")
    client.force_login(make_editor())
    url = change_url(story)

    response = client.post(url, admin_form_data(client, url, published_at_0="2021-03-26", published_at_1="00:30"))

    assert response.status_code == 200 and "published_at" in response.context["adminform"].form.errors
