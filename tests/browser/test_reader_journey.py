"""The reader's journey on the public site, in a real browser: home, the story, its credited lead photo, the
«ع ع ع» text size remembered across a reload, a tag, and search with a spelling variant; then the English edition,
left to right, with its language switcher."""

import pytest

from tests.browser.conftest import PHONE, screenshot
from tests.factories import make_article, make_person, make_photo, make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "أمطار غزيرة تعيد الحياة إلى بساتين الغوطة"
CAPTION = "مزارع يتفقد أشجار المشمش بعد المطر"
CREDIT = "عدسة سامر العلي"
TAG = "طقس دمشق"


def published_story(**fields):
    return make_article(
        HEADLINE, published=True, section=make_section("محليات"), authors=[make_person("ريم الحلبي")],
        lead_photo=make_photo(caption=CAPTION, credit=CREDIT), tags=(TAG, "زراعة"),
        summary_ar="أول هطول غزير منذ أشهر يملأ السواقي.",
        body_ar="<p>قال المزارعون إن <strong>المطر</strong> جاء في وقته.</p><h2>في البساتين</h2><p>عادت السواقي.</p>",
        **fields,
    )


def body_font_size(page):
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.story__body p')).fontSize)")


def test_reader_finds_the_story_changes_text_size_follows_a_tag_and_searches(open_tab):
    story = published_story()
    page, checks = open_tab()

    page.goto("/")
    checks.assert_sound()
    screenshot(page, "home")
    page.get_by_role("link", name=HEADLINE).first.click()
    page.wait_for_url(f"**{story.get_absolute_url()}")
    checks.assert_sound()
    screenshot(page, "article")

    # The lead photo is really shown (its rendition loads), its caption ends with the credit in parentheses.
    figure = page.locator(".story figure").first
    assert figure.locator("img").evaluate("image => image.complete && image.naturalWidth > 0")
    caption = " ".join(figure.locator("figcaption").inner_text().split())
    assert caption.startswith(CAPTION)
    assert caption.endswith(f"({CREDIT})")

    # «ع ع ع»: the largest size makes the text larger, and a reload keeps it.
    assert page.locator(".text-size__button").all_inner_texts() == ["ع", "ع", "ع"]
    usual = body_font_size(page)
    page.click(".text-size__button[data-text-size=large]")
    larger = body_font_size(page)
    assert larger > usual
    assert page.get_attribute(".text-size__button[data-text-size=large]", "aria-pressed") == "true"
    page.reload()
    checks.assert_sound()
    assert page.get_attribute("html", "data-text-size") == "large"
    assert page.get_attribute(".text-size__button[data-text-size=large]", "aria-pressed") == "true"
    assert body_font_size(page) == larger

    page.locator(".tags").get_by_role("link", name=TAG).click()
    page.wait_for_url("**/tag/**")
    checks.assert_sound()
    assert page.get_by_role("link", name=HEADLINE).count() >= 1

    # Typed without the hamza, as many readers do: «امطار» must find «أمطار».
    search_box = page.locator("form[role=search] input[name=q]").first
    search_box.fill("امطار غزيرة")
    search_box.press("Enter")
    page.wait_for_url("**/search/?**")
    checks.assert_sound()
    assert page.get_by_role("link", name=HEADLINE).count() >= 1


def test_english_edition_reads_left_to_right_and_offers_the_arabic_one(open_tab):
    story = published_story(
        headline_en="Heavy rain brings the Ghouta orchards back to life",
        summary_en="The first heavy rain in months fills the channels.",
        body_en="<p>Farmers said the <strong>rain</strong> came just in time.</p>",
    )
    page, checks = open_tab()

    page.goto("/en/")
    checks.assert_sound()
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_attribute("html", "dir") == "ltr"
    page.get_by_role("link", name="Heavy rain brings the Ghouta orchards back to life").first.click()
    page.wait_for_url("**/en/article/**")
    checks.assert_sound()
    screenshot(page, "article-en")

    switcher = page.locator("nav.languages")
    assert switcher.locator("[aria-current]").get_attribute("lang") == "en"
    switcher.locator("a[hreflang=ar]").click()
    page.wait_for_url(f"**{story.get_absolute_url()}")
    checks.assert_sound()
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("nav.languages a[hreflang=en]").count() == 1


def test_page_numbers_lie_in_a_row_and_the_page_being_read_stands_out(open_tab):
    desk = make_section("اقتصاد")
    for number in range(45):
        make_article(f"خبر اقتصادي رقم {number}", published=True, section=desk)
    page, checks = open_tab(PHONE)

    page.goto(f"{desk.get_absolute_url()}?page=2")
    checks.assert_sound()
    screenshot(page, "pager")

    numbers = page.locator(".pagination__pages a")
    assert numbers.all_inner_texts() == ["1", "2", "3"]
    # One row on a phone, not a numbered list ("1. 1", "2. 2" …), and right to left: page 1 on the right.
    boxes = [numbers.nth(index).bounding_box() for index in range(3)]
    assert len({round(box["y"]) for box in boxes}) == 1
    assert boxes[0]["x"] > boxes[1]["x"] > boxes[2]["x"]
    assert page.locator(".pagination__pages").evaluate("list => getComputedStyle(list).listStyleType") == "none"
    background = "link => getComputedStyle(link).backgroundColor"
    current = page.locator(".pagination__pages [aria-current=page]")
    assert current.inner_text() == "2"
    assert current.evaluate(background) != numbers.nth(0).evaluate(background)
