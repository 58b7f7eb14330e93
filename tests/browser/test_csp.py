"""The Content-Security-Policy in a real browser (issue 7, point 1): every public page and every admin page the
newsroom uses, with the rich-text editor, its photo dialog, the autocomplete boxes, the focal-point picker and the
history pages at work, raises not one violation. The page checker in conftest.py fails any browser test on the
first violation (or console error, or failed request); these tests walk the pages no journey reaches, and show
that what the policy could break still works: typing reaches the body field, a click moves the focal point."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from articles.history import revision
from articles.models import SupportAppeal, Tag
from tests.browser.conftest import log_in
from tests.browser.test_newsroom_journey import choose
from tests.factories import make_article, make_person, make_photo, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "الأمطار تعود إلى دمشق"
CAPTION = "متظاهرون في ساحة الأمويين"


def published_story():
    return make_article(
        HEADLINE, published=True, section=make_section("محليات"), authors=[make_person("ريم الحلبي")],
        lead_photo=make_photo(caption=CAPTION), tags=("طقس دمشق",),
        headline_en="Rain returns to Damascus", summary_en="The first heavy rain in months.",
        body_en="<p>Residents said the <strong>water</strong> came back.</p>",
    )


def visit(page, checks, path):
    """Opens ``path``, checks the page (no violation among the rest) and returns the policy it came with."""
    response = page.goto(path)
    assert response.ok, f"{path}: HTTP {response.status}"
    checks.assert_no_problems(path)  # a violation first: it could be what breaks the layout checked next
    checks.assert_sound()
    return response.headers.get("content-security-policy", "")


def test_public_pages_raise_no_violation_fresh_or_from_the_page_cache(open_tab):
    story = published_story()
    tag = story.tags.get()
    person = story.authors.get()
    day = story.published_at
    paths = [
        "/", story.get_absolute_url(), story.section.get_absolute_url(), reverse("tag", args=[tag.slug]),
        person.get_absolute_url(), "/search/?q=" + "الأمطار", f"/archive/{day:%Y}/", f"/archive/{day:%Y}/{day.month}/",
        f"/archive/{day:%Y}/{day.month}/{day.day}/",
    ]
    with translation.override("en"):
        english = ["/en/", story.get_absolute_url(), story.section.get_absolute_url(), "/en/search/?q=rain"]
    page, checks = open_tab()
    for path in paths + english:
        fresh = visit(page, checks, path)
        cached = visit(page, checks, path)  # the page cache's copy this time
        for policy in (fresh, cached):
            assert "script-src 'self'" in policy and "nonce-" not in policy, f"{path}: {policy!r}"
        assert page.locator("[nonce]").count() == 0, f"{path} carries a nonce, which a cached copy would freeze"


def test_admin_pages_and_their_scripts_work_under_the_policy(open_tab):
    administrator = make_user(role="administrator", is_superuser=True)
    photo = make_photo(caption=CAPTION)
    make_section("سياسة")
    Tag.objects.create(name="سوريا")
    with revision(administrator, "first"):
        article = make_article("مسودة أولى", lead_photo=photo)
    with revision(administrator, "second"):
        article.headline_ar = "مسودة ثانية"
        article.save()
    first, second = article_revisions(article)

    page, checks = open_tab()
    log_in(page, checks, administrator)  # the login page and the admin index, both checked

    # A new article: typing reaches the body field, the photo button's dialog opens, the autocomplete boxes answer.
    visit(page, checks, "/admin/articles/article/add/")
    body = page.locator("#tab_id_body_ar")
    body.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("هطلت الأمطار")
    expect(page.locator("#id_body_ar")).to_have_value("<p>هطلت الأمطار</p>")
    body.locator("[data-name=photo]:not(.disabled)").click()
    dialog = page.locator("dialog.editor-photo-picker[open]")
    dialog.locator(".editor-photo-picker__choice", has_text=CAPTION).wait_for()
    dialog.get_by_role("button", name="إلغاء").click()
    expect(dialog).to_have_count(0)
    choose(page, "id_tags", "سور", "سوريا")
    choose(page, "id_lead_photo", "متظاهرون", CAPTION)
    expect(page.locator(".ui-tabs").first).to_be_visible()  # modeltranslation's language tabs (jQuery UI)
    checks.assert_sound()

    # The article with two revisions: its change page, its history and the comparison of the two.
    for path in (
        f"/admin/articles/article/{article.pk}/change/",
        f"/admin/articles/article/{article.pk}/history/",
        f"/admin/articles/article/{article.pk}/history/compare/?from={first}&to={second}",
        "/admin/articles/article/",
    ):
        visit(page, checks, path)

    # The photo: a click on the picture moves the focal point.
    visit(page, checks, f"/admin/articles/photo/{photo.pk}/change/")
    picture = page.locator("[data-focal-point] img")
    picture.click(position={"x": 5, "y": 5})
    expect(page.locator(".focal-point-marker")).to_be_visible()
    # Percent of the width and height, from the top left corner: a click near that corner sets small values.
    assert float(page.input_value("#id_focal_x")) < 20 and float(page.input_value("#id_focal_y")) < 20

    for path in (
        "/admin/articles/photo/", "/admin/articles/photo/upload/", "/admin/auth/user/", "/admin/auth/user/invite/",
        f"/admin/auth/user/{administrator.pk}/change/", "/accounts/two-factor/",
    ):
        visit(page, checks, path)


def test_delete_password_and_other_admin_forms_raise_no_violation(open_tab):
    """The admin pages no journey opens: the two delete confirmations, the password change, and the change form
    of each small model. (Reversion's "recover deleted" list is not offered: articles/history.py drops it.)"""
    administrator = make_user(role="administrator", is_superuser=True)
    story = published_story()
    photo = make_photo(caption="صورة للحذف")
    support_box = SupportAppeal.objects.create(
        heading="ادعم الصحافة المستقلة", text="تبرعك يبقي الأخبار مجانية.", button_label="تبرع",
        url="https://example.org/support",
    )
    page, checks = open_tab()
    log_in(page, checks, administrator)
    for path in (
        f"/admin/articles/article/{story.pk}/delete/",
        f"/admin/articles/photo/{photo.pk}/delete/",
        "/admin/password_change/",
        f"/admin/articles/tag/{story.tags.get().pk}/change/",
        f"/admin/articles/person/{story.authors.get().pk}/change/",
        f"/admin/articles/section/{story.section.pk}/change/",
        f"/admin/articles/supportappeal/{support_box.pk}/change/",
    ):
        visit(page, checks, path)


def article_revisions(article):
    from reversion.models import Version

    return list(Version.objects.get_for_object(article).order_by("pk").values_list("revision_id", flat=True))


def test_a_violation_fails_the_page_check(open_tab):
    """The checker itself: an inline script the policy refuses is reported, so no violation passes unnoticed."""
    page, checks = open_tab()
    visit(page, checks, "/")
    # Resolves once the browser has refused the script (the checker's own listener was registered first).
    page.evaluate("""() => new Promise((resolve) => {
        document.addEventListener("securitypolicyviolation", resolve, { once: true });
        const script = document.createElement("script");
        script.textContent = "document.title = 'ran'";
        document.head.append(script);
    })""")
    assert page.title() != "ran"
    reported = [problem for problem in checks.problems if problem.startswith("Content-Security-Policy violation")]
    assert reported and "script-src-elem blocked inline" in reported[0], checks.problems
    checks.problems.clear()  # the violation was the point; the rest of the page must still be sound
