"""A contributor's page and feed: public in an edition once readers of it can see their work (a byline, or a
credited photo in a story), and unknown to readers before that."""

import pytest

from articles.models import Person
from articles.roles import ROLE_WRITER
from tests.factories import make_article, make_person, make_photo, make_user

pytestmark = pytest.mark.django_db


def answers(client, person):
    """The status of the person's page and feed, in Arabic and in English."""
    urls = [f"/person/{person.slug}/", f"/person/{person.slug}/feed/",
            f"/en/person/{person.slug}/", f"/en/person/{person.slug}/feed/"]
    return {url: client.get(url).status_code for url in urls}


def test_a_contributor_just_invited_has_no_page_or_feed_in_either_edition(client):
    stringer = make_person("مراسل جديد", user=make_user(ROLE_WRITER, username="stringer@example.org"))
    # A draft under their byline and a photo of theirs in another draft are not something readers see.
    make_article(authors=[stringer], lead_photo=make_photo(credit_person=stringer), published=False)

    assert set(answers(client, stringer).values()) == {404}
    assert "مراسل جديد" not in client.get(f"/person/{stringer.slug}/").text


def test_a_byline_in_arabic_only_opens_the_arabic_page_and_feed_only(client):
    writer = make_person("سامر العلي", name_en="Samer al-Ali")
    make_article(authors=[writer], published=True)

    assert answers(client, writer) == {
        f"/person/{writer.slug}/": 200, f"/person/{writer.slug}/feed/": 200,
        f"/en/person/{writer.slug}/": 404, f"/en/person/{writer.slug}/feed/": 404,
    }
    # So the Arabic page's language link leads to the English edition's home, not to that 404.
    page = client.get(f"/person/{writer.slug}/").text
    assert 'href="/en/" hreflang="en"' in page and f'href="/en/person/{writer.slug}/"' not in page


def test_a_photographer_credited_in_a_published_story_has_a_page(client):
    photographer = make_person("عدسة ليلى", role=Person.Role.PHOTOGRAPHER)
    make_article(published=True, lead_photo=make_photo(credit_person=photographer))

    page = client.get(photographer.get_absolute_url())

    assert page.status_code == 200 and "عدسة ليلى" in page.text
    assert client.get(f"/person/{photographer.slug}/feed/").status_code == 200


def test_a_deactivated_contributor_keeps_the_page_of_their_published_bylines(client):
    account = make_user(ROLE_WRITER, is_active=False)
    writer = make_person("ريم حداد", user=account, is_active=False)
    make_article("تحقيق في صفقة القمح", authors=[writer], published=True)

    page = client.get(writer.get_absolute_url())

    assert page.status_code == 200 and "تحقيق في صفقة القمح" in page.text


def test_a_photographers_page_leads_from_each_photo_to_its_story_in_that_edition(client):
    photographer = make_person("عدسة ليلى", role=Person.Role.PHOTOGRAPHER)
    story = make_article(
        "حصار المدينة", published=True, lead_photo=make_photo(credit_person=photographer),
        headline_en="The siege of the city", body_en="<p>Text.</p>",
    )

    arabic = client.get(f"/person/{photographer.slug}/").text
    english = client.get(f"/en/person/{photographer.slug}/").text

    assert f'href="/article/{story.pk}/' in arabic and ">حصار المدينة</a>" in arabic
    assert f'href="/en/article/{story.pk}/' in english and ">The siege of the city</a>" in english
    # Only photos: no empty list of articles under them.
    assert "photo-grid__story" in arabic and "<h2>مقالات</h2>" not in arabic
