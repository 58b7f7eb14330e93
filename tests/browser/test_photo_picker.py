"""The lead photo box in a real browser: the library's photos listed with their thumbnails, and the chosen one
shown beside the box with its credit and alt text as placeholders, before the story is saved."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.renditions import ensure_renditions, thumbnail_url
from tests.browser.conftest import log_in, screenshot
from tests.factories import make_article, make_photo, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_lead_photo_box_lists_thumbnails_and_previews_the_chosen_photo(open_tab):
    editor = make_user("editor")
    story = make_article("خبر بلا صورة", lead_photo=None)
    market = make_photo(caption="سوق الحميدية صباحًا", credit="عدسة ليلى", alt_text="باعة ومشترون")
    make_photo(caption="سوق الخضار في حلب", credit="عدسة سامر")
    for photo in market.__class__.objects.all():
        ensure_renditions(photo)
    market.refresh_from_db()
    page, checks = open_tab()
    log_in(page, checks, editor)
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    page.locator("#id_lead_photo[data-photo-picker=ready]").wait_for(state="attached")
    checks.assert_sound()

    page.click("#id_lead_photo + .select2 .select2-selection")
    page.locator(".select2-container--open .select2-search__field").fill("سوق")
    listed = page.locator(".select2-container--open .select2-results__option .photo-choice")
    expect(listed.locator("img")).to_have_count(2)
    listed.filter(has_text="سوق الحميدية صباحًا").click()

    preview = page.locator(".field-lead_photo_preview .readonly img")
    expect(preview).to_have_attribute("src", thumbnail_url(market))
    assert page.get_attribute("#id_lead_photo_credit", "placeholder") == "عدسة ليلى"
    assert page.input_value("#id_lead_photo_credit") == ""
    assert page.get_attribute("#id_lead_photo_alt_text", "placeholder") == "باعة ومشترون"
    screenshot(page, "admin-lead-photo-picked")
    checks.assert_sound()

    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/articles/article/{story.pk}/change/")
    story.refresh_from_db()
    market.refresh_from_db()
    assert story.lead_photo == market
    assert (market.credit_ar, market.alt_text_ar) == ("عدسة ليلى", "باعة ومشترون")
    assert Article.objects.count() == 1


def open_story_with_its_own_photo(open_tab, **story_fields):
    """An editor's tab on a story whose lead photo is «ساحة الأمويين», with «سوق الخضار» also in the library."""
    own = make_photo(caption="ساحة الأمويين", credit="عدسة ليلى", alt_text="حشد في ساحة")
    for photo in (own, make_photo(caption="سوق الخضار", credit="عدسة سامر")):
        ensure_renditions(photo)
    story = make_article("خبر بصورة", lead_photo=own, **story_fields)
    page, checks = open_tab()
    log_in(page, checks, make_user("editor"))
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    page.locator("#id_lead_photo[data-photo-picker=ready]").wait_for(state="attached")
    return page, checks, story, own


def pick(page, caption):
    page.click("#id_lead_photo + .select2 .select2-selection")
    page.locator(".select2-container--open .select2-search__field").fill(caption.split()[0])
    page.locator(".select2-container--open .select2-results__option .photo-choice").filter(has_text=caption).click()


def test_picking_another_photo_and_then_the_storys_own_again_keeps_its_credit(open_tab):
    page, checks, story, own = open_story_with_its_own_photo(open_tab, published=True)

    pick(page, "سوق الخضار")
    pick(page, "ساحة الأمويين")
    assert page.input_value("#id_lead_photo_credit") == "عدسة ليلى"
    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/articles/article/{story.pk}/change/")
    checks.assert_sound()

    own.refresh_from_db()
    assert (own.credit_ar, own.alt_text_ar) == ("عدسة ليلى", "حشد في ساحة")


def test_after_a_refused_save_picking_the_storys_own_photo_again_keeps_its_credit(open_tab):
    page, checks, story, own = open_story_with_its_own_photo(open_tab)

    # Another photo, and a date no calendar has: the save is refused and the form comes back as posted.
    pick(page, "سوق الخضار")
    page.fill("#id_published_at_0", "not a date")
    page.click("input[name=_continue]")
    page.locator(".errornote").wait_for()
    page.locator("#id_lead_photo[data-photo-picker=ready]").wait_for(state="attached")
    pick(page, "ساحة الأمويين")
    assert page.input_value("#id_lead_photo_credit") == "عدسة ليلى"
    page.fill("#id_published_at_0", "")
    page.fill("#id_published_at_1", "")
    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/articles/article/{story.pk}/change/")

    own.refresh_from_db()
    assert (own.credit_ar, own.alt_text_ar) == ("عدسة ليلى", "حشد في ساحة")
