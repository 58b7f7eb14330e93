"""The newsroom's journey in the Arabic admin, in a real browser: a writer writes a story in the rich-text editor,
uploads and credits its photo, tags and signs it and sends it for review; an editor opens it and publishes it.
A reader who had the home page open (and so in the page cache) sees the story at once, and then the editor's
correction of its headline.

Wherever a click's effect comes later (the editor's menu bar follows the editor's next transaction, select2 asks
the server, a popup opens), the journey waits for what the next step needs rather than for a while: on a busy
machine "a while" is never long enough."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from articles.models import Article, Tag
from tests.browser.conftest import kept_in_page_cache, log_in, screenshot
from tests.factories import make_person, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "الأمطار تعود إلى دمشق بعد جفاف طويل"
CORRECTED_HEADLINE = "الأمطار تعود إلى دمشق بعد صيف طويل"
CAPTION = "متظاهرون في ساحة الأمويين"
CREDIT = "عدسة سامر العلي"
SOURCE_URL = "https://example.org/report"


def photo_file(tmp_path):
    """A real JPEG, large enough for every rendition, with some drawing so it is not one flat colour."""
    path = tmp_path / "saha.jpg"
    image = Image.new("RGB", (1600, 1000), (40, 90, 140))
    ImageDraw.Draw(image).ellipse((500, 250, 1100, 750), fill=(220, 180, 60))
    image.save(path, "JPEG", quality=85)
    return path


def answers_search_for(typed):
    def answers(response):
        parts = urlsplit(response.url)
        return parts.path.endswith("/autocomplete/") and parse_qs(parts.query).get("term") == [typed]

    return answers


def choose(page, select_id, typed, option):
    """Picks ``option`` in one of the admin's autocomplete (select2) boxes, by typing as a person does.

    Until the server answers for what was typed, the list still shows the answer for an empty box under a
    "searching" line, and a click there can land on an option that is being replaced: so the click waits for
    that answer and for the list to be redrawn with it."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    with page.expect_response(answers_search_for(typed)):
        page.locator(".select2-container--open .select2-search__field").fill(typed)
    results = page.locator(".select2-container--open .select2-results__options")
    results.locator(".loading-results").wait_for(state="detached")
    results.locator(".select2-results__option[aria-selected]", has_text=option).click()


def test_writer_sends_a_story_for_review_and_an_editor_publishes_it(open_tab, live_server, tmp_path):
    writer_account = make_user(role="writer")
    editor_account = make_user(role="editor")
    make_section("سياسة")
    make_person("ريم الحلبي")
    Tag.objects.create(name="سوريا")

    page, checks = open_tab()
    log_in(page, checks, writer_account)
    page.goto("/admin/articles/article/add/")
    checks.assert_sound()

    page.fill("#id_headline_ar", HEADLINE)
    page.fill("#id_summary_ar", "أول هطول غزير منذ أشهر.")

    # The body, typed in the rich-text editor: a subheading, a bold word and a link. The menu bar's buttons carry
    # "disabled" and "active" as of the editor's last transaction, and a click on a disabled one silently does
    # nothing: each click waits for the button to be usable, and each step for the previous one to show.
    body = page.locator("#tab_id_body_ar")
    text = body.locator(".ProseMirror[contenteditable=true]")
    bold = body.locator("[data-name=bold]")
    text.click()
    page.keyboard.type("في الأحياء")
    body.locator(".prose-menubar__selected").click()
    body.locator("[data-name=heading2]").click()  # waits for the picker (a popover) to open
    text.locator("h2", has_text="في الأحياء").wait_for()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("قال السكان إن ")
    body.locator("[data-name=bold]:not(.disabled)").click()
    expect(bold).to_have_class(re.compile(r"\bactive\b"))
    page.keyboard.type("المياه")
    body.locator("[data-name=bold].active:not(.disabled)").click()
    expect(bold).not_to_have_class(re.compile(r"\bactive\b"))
    page.keyboard.type(" عادت بحسب المصدر")
    # Select the last word for the link. Not with Shift+Arrow keys: in right-to-left text the caret moves
    # visually and where it lands after typing varies between runs; the editor takes a DOM selection as its own.
    page.evaluate(
        """word => {
            const editor = document.querySelector("#tab_id_body_ar .ProseMirror[contenteditable=true]");
            const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
            let node, last = null;
            while ((node = walker.nextNode())) { if (node.textContent.includes(word)) last = node; }
            const start = last.textContent.lastIndexOf(word);
            const range = document.createRange();
            range.setStart(last, start);
            range.setEnd(last, start + word.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        "المصدر",
    )
    page.wait_for_function("() => window.getSelection().toString() === 'المصدر'")
    body.locator("[data-name=link]:not(.disabled)").click()
    page.fill("dialog[open] input[name=href]", SOURCE_URL)
    page.click("dialog[open] button[type=submit]")
    text.locator(f'a[href="{SOURCE_URL}"]', has_text="المصدر").wait_for()

    # Placement: a section, an existing tag picked from the list, a new one typed in.
    choose(page, "id_section", "سيا", "سياسة")
    choose(page, "id_tags", "سور", "سوريا")
    page.fill("#id_new_tags", "طقس دمشق")

    # The lead photo, uploaded from the article form through the "add" window beside the photo box.
    with page.expect_popup() as opened:
        page.click("#add_id_lead_photo")
    photo_page = opened.value
    photo_page.wait_for_load_state()
    photo_page.set_input_files("#id_image", photo_file(tmp_path))
    photo_page.fill("#id_caption_ar", CAPTION)
    photo_page.fill("#id_credit_ar", CREDIT)
    photo_page.fill("#id_alt_text_ar", "حشد يرفع الأعلام في ساحة واسعة")
    with photo_page.expect_event("close"):
        photo_page.click("input[name=_save]")
    expect(page.locator("#id_lead_photo option:checked")).not_to_have_attribute("value", "")

    # The byline.
    page.click("#articleauthor_set-group .add-row a")
    choose(page, "id_articleauthor_set-0-person", "ريم", "ريم الحلبي")

    page.click("input[name=_submit_for_review]")
    page.wait_for_url("**/admin/articles/article/")  # saved: back to the list
    checks.assert_sound()
    assert page.locator(".messagelist .success").count() >= 1
    article = Article.objects.get()
    assert article.status == Article.Status.IN_REVIEW
    assert article.headline_ar == HEADLINE
    assert "<h2>في الأحياء</h2>" in article.body_ar
    assert "<strong>المياه</strong>" in article.body_ar
    assert re.search(rf'<a href="{re.escape(SOURCE_URL)}"[^>]*>المصدر</a>', article.body_ar), article.body_ar
    assert article.section.name_ar == "سياسة"
    assert sorted(tag.name for tag in article.tags.all()) == ["سوريا", "طقس دمشق"]
    assert [person.name_ar for person in article.authors.all()] == ["ريم الحلبي"]
    assert (article.lead_photo.caption_ar, article.lead_photo.credit_ar) == (CAPTION, CREDIT)
    assert article.created_by == writer_account

    # An editor, in a browser of their own, finds it in the list, reads it and publishes it.
    desk, desk_checks = open_tab()
    log_in(desk, desk_checks, editor_account)
    desk.goto("/admin/articles/article/")
    desk_checks.assert_sound()
    desk.get_by_role("link", name=HEADLINE).first.click()
    desk.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    desk_checks.assert_sound()
    editor_text = desk.locator("#tab_id_body_ar .ProseMirror[contenteditable=true]")
    assert editor_text.locator("h2").inner_text() == "في الأحياء"
    assert editor_text.locator("strong").inner_text() == "المياه"
    assert desk.input_value("#id_lead_photo_credit") == CREDIT
    screenshot(desk, "admin-article")

    # Meanwhile a reader opens the home page, which the page cache now keeps; the story is not there yet.
    reader, reader_checks = open_tab()
    reader.goto("/")
    reader_checks.assert_sound()
    assert reader.get_by_role("link", name=HEADLINE).count() == 0
    assert kept_in_page_cache(live_server, "/")

    desk.click("input[name=_publish]")
    desk.wait_for_url("**/admin/articles/article/")
    desk_checks.assert_sound()
    assert desk.locator(".messagelist .success").count() >= 1
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    # The reader's next look at the home page has the story at once, and what the editor published is what the
    # reader gets.
    reader.reload()
    published = reader.get_by_role("link", name=HEADLINE)
    assert published.count() >= 1, "the reader still gets the home page cached before the story was published"
    published.first.click()
    reader.wait_for_url(f"**{article.get_absolute_url()}")
    reader_checks.assert_sound()
    story = reader.locator(".story__body")
    assert story.locator("h2").inner_text() == "في الأحياء"
    assert story.locator("strong").inner_text() == "المياه"
    assert story.get_by_role("link", name="المصدر").get_attribute("href") == SOURCE_URL
    figure = reader.locator(".story figure").first
    assert figure.locator("img").evaluate("image => image.complete && image.naturalWidth > 0")
    assert " ".join(figure.locator("figcaption").inner_text().split()) == f"{CAPTION} ({CREDIT})"
    assert kept_in_page_cache(live_server, article.get_absolute_url())

    # The editor corrects the published headline; the reader's next look at the story shows the correction.
    desk.goto(f"/admin/articles/article/{article.pk}/change/")
    desk.fill("#id_headline_ar", CORRECTED_HEADLINE)
    desk.click("input[name=_save]")
    desk.wait_for_url("**/admin/articles/article/")
    assert desk.locator(".messagelist .success").count() >= 1
    reader.reload()
    assert reader.locator("h1.story__headline").inner_text() == CORRECTED_HEADLINE, "the cached page, uncorrected"


def test_the_body_editor_and_the_date_fields_speak_arabic(open_tab):
    editor_account = make_user(role="editor")
    # Hours away from the newsroom's clock, as a reporter abroad would be: the admin then says so under each time.
    page, checks = open_tab(timezone_id="Atlantic/Reykjavik")
    log_in(page, checks, editor_account)
    page.goto("/admin/articles/article/add/")
    checks.assert_sound()

    body = page.locator("#tab_id_body_ar")
    expect(body.locator("[data-name=bold]")).to_have_attribute("title", "عريض")
    expect(body.locator("[data-name=bold]")).to_have_attribute("aria-label", "عريض")
    expect(body.locator("[data-name=link]")).to_have_attribute("title", "إدراج رابط")
    expect(body.locator(".prose-menubar__selected [title]")).to_have_attribute("title", "فقرة")
    body.locator(".prose-menubar__selected").click()
    # Each option still shows its block as it will look: a heading in the picker is a heading.
    expect(body.locator(".prose-menubar__option[data-name=heading2] h2")).to_have_text("عنوان من المستوى 2")
    assert "Heading" not in body.locator(".prose-menubar__picker").inner_text()
    page.keyboard.press("Escape")
    body.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("كلمة")
    # The whole body selected (Shift and the arrow keys land differently in right-to-left text from run to run).
    page.keyboard.press("Control+A")
    page.wait_for_function("() => window.getSelection().toString() === 'كلمة'")
    body.locator("[data-name=link]:not(.disabled)").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("الرابط")
    assert "URL" not in dialog.inner_text() and "Cancel" not in dialog.inner_text()
    page.keyboard.press("Escape")

    notes = page.locator(".timezonewarning").all_inner_texts()
    assert notes and all(note.startswith("ملاحظة: أدخل الأوقات بتوقيت") for note in notes), notes
    screenshot(page, "editor-in-arabic")


def test_each_editions_fields_are_typed_in_its_own_direction(open_tab):
    """English typed in a right-to-left box reads «.Rain returns to Damascus»: each edition's tab, the rich-text
    body included, runs in its own language's direction."""
    editor_account = make_user(role="editor")
    page, checks = open_tab()
    log_in(page, checks, editor_account)
    page.goto("/admin/articles/article/add/")
    checks.assert_sound()

    def direction(selector):
        return page.locator(selector).evaluate("element => getComputedStyle(element).direction")

    page.click("a[href='#tab_id_headline_en']")
    page.fill("#id_headline_en", "Rain returns to Damascus.")
    page.click("a[href='#tab_id_body_en']")
    page.locator("#tab_id_body_en .ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Residents said the streets flooded.")

    assert direction("#id_headline_en") == direction("#tab_id_body_en .ProseMirror[contenteditable]") == "ltr"
    assert direction("#id_headline_ar") == direction("#tab_id_body_ar .ProseMirror[contenteditable]") == "rtl"
    assert page.locator("#id_summary_en").get_attribute("lang") == "en"
    screenshot(page, "article-form-english-tab")
    checks.assert_sound()
