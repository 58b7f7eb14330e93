"""Issue 7, point 2 in a real browser: the nastiest payloads of tests/xss_payloads.py, in every field, shown on
every page that prints them, and Chromium never opens an alert, confirm or prompt (nor loads a foreign script:
BrowserChecks refuses and reports any request to another host, and any JavaScript error)."""

import pytest
from django.utils import timezone

from articles.models import SupportAppeal
from tests.browser.conftest import PASSWORD
from tests.factories import make_article, make_person, make_photo, make_section, make_user
from tests.xss_payloads import BROWSER_SUBSET, pack, payload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBSET = [payload(name) for name in BROWSER_SUBSET]


def hostile_stories():
    """Each story carries a few payloads in each field (headline, summary, body, caption, credit, alt text, tags,
    byline name and biography); the support box carries them too."""
    section = make_section(pack(SUBSET, 100)[0], slug="hostile")
    headlines, credits = pack(SUBSET, 250), pack(SUBSET, 200)
    stories = []
    for number, headline in enumerate(headlines):
        chunk = SUBSET[number :: len(headlines)]
        text = "\n".join(chunk)
        person = make_person(pack(SUBSET, 150)[number % 3], slug=f"hostile-{number}", bio_ar=text)
        photo = make_photo(caption=text, credit=credits[number % len(credits)], alt_text=credits[-1 - number])
        tags = [t for t in chunk if len(t) <= 100 and "," not in t][:2]
        stories.append(make_article(
            headline, published=True, section=section, authors=[person], lead_photo=photo, tags=tags,
            summary_ar=text, body_ar=text, published_at=timezone.now() - timezone.timedelta(hours=1),
        ))
    SupportAppeal.objects.create(heading_ar=credits[0], text_ar="\n".join(SUBSET), button_label_ar="ادعم",
                                 tagline_ar=credits[1], url_ar="https://example.org/give?a=\"><script>alert(1)")
    return section, stories


def test_no_payload_opens_a_dialog_on_any_page(open_tab):
    section, stories = hostile_stories()
    administrator = make_user("administrator")
    page, checks = open_tab()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.type}: {dialog.message} on {page.url}"),
                                      dialog.dismiss()))
    page.goto("/")
    page.evaluate("alert('probe')")  # the listener hears a dialog when there is one
    assert dialogs and dialogs.pop().startswith("alert: probe")
    story = stories[0]
    addresses = [
        "/", f"/section/{section.slug}/", "/search/?q=alert", "/search/?q=" + SUBSET[0],
        *(article.get_absolute_url() for article in stories),
        *(tag.get_absolute_url() for tag in story.tags.all()),
        *(f"/person/{person.slug}/" for person in story.authors.all()),
        f"/archive/{timezone.localdate().year}/",
    ]
    for address in addresses:
        page.goto(address)
        page.wait_for_load_state("load")
        # Focus and pointer handlers need a person: tab through the page and hover everything that has a box.
        for _ in range(15):
            page.keyboard.press("Tab")
        page.mouse.move(200, 300)
        assert not dialogs, dialogs
        checks.assert_no_problems(address)

    # Logged in by hand: log_in() also checks the layout, and what is checked here is only that nothing runs.
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", administrator.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    page.wait_for_url("**/admin/")
    for address in ["/admin/", "/admin/articles/article/", "/admin/articles/photo/", "/admin/articles/tag/",
                    "/admin/articles/person/", "/admin/articles/supportappeal/",
                    f"/admin/articles/article/{story.pk}/change/",
                    f"/admin/articles/photo/{story.lead_photo_id}/change/"]:
        page.goto(address)
        page.wait_for_load_state("load")
        assert not dialogs, dialogs
        checks.assert_no_problems(address)
    assert len(SUBSET) >= 20
