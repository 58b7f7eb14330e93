"""Query budgets: the pages readers hit most cost a fixed, small number of SQL queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import SupportAppeal
from tests.factories import make_article, make_person, make_photo, make_section

BUDGET = 8


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def article_with(n):
    """A published article with n tags, n authors and n hand-picked related articles."""
    photo = make_photo()
    related = [make_article(published=True, lead_photo=photo, tags=[f"وسم {i}"]) for i in range(n)]
    article = make_article(
        published=True, lead_photo=photo,
        authors=[make_person() for _ in range(n)], tags=[f"وسم {i}" for i in range(n)],
    )
    article.related_articles.set(related)
    return article


@pytest.mark.django_db
def test_article_page_stays_within_budget_whatever_its_size(client, django_assert_max_num_queries):
    SupportAppeal.objects.create(heading_ar="ادعمونا", text_ar="نص", button_label_ar="ساهم",
                                 url_ar="https://example.org/")
    small, large = article_with(1), article_with(20)
    with django_assert_max_num_queries(BUDGET):
        client.get(large.get_absolute_url())
    # Never more for the larger story (fewer, as its hand-picked stories fill the related box by themselves).
    assert query_count(client, large.get_absolute_url()) <= query_count(client, small.get_absolute_url())


@pytest.mark.django_db
def test_a_story_without_hand_picked_stories_or_photos_in_its_body_is_not_asked_for_them(client):
    """Most stories have neither, and each ask costs a query: the page knows from the story's own row."""
    photo = make_photo(caption="مخيم للنازحين قرب إدلب")
    plain = make_article(published=True, tags=["سوريا"])
    body = f'<p>قبل</p><figure data-photo-id="{photo.pk}"></figure>'
    rich = make_article(published=True, tags=["سوريا"], body_ar=body)
    rich.related_articles.set([make_article(published=True, headline="خبر اختاره المحرر")])

    assert query_count(client, plain.get_absolute_url()) == query_count(client, rich.get_absolute_url()) - 2
    page = client.get(rich.get_absolute_url()).content.decode()
    assert "خبر اختاره المحرر" in page
    assert "مخيم للنازحين قرب إدلب" in page
    assert "مخيم للنازحين قرب إدلب" not in client.get(plain.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_related_stories_are_looked_for_only_where_there_can_be_some(client):
    """An untagged story with none picked has nothing to relate it; one with four picked needs no tag's help."""
    tagged = make_article(published=True, tags=["سوريا"])
    make_article(published=True, headline="خبر يشارك الوسم", tags=["سوريا"])
    untagged = make_article(published=True)
    well_picked = make_article(published=True, tags=["سوريا"])
    picks = [make_article(published=True, headline=f"خبر مختار {n}") for n in range(4)]
    well_picked.related_articles.set(picks)

    assert query_count(client, untagged.get_absolute_url()) == query_count(client, tagged.get_absolute_url()) - 1
    assert query_count(client, well_picked.get_absolute_url()) == query_count(client, tagged.get_absolute_url())
    assert "خبر يشارك الوسم" in client.get(tagged.get_absolute_url()).text
    page = client.get(well_picked.get_absolute_url()).text.split('id="related-heading"')[1]
    assert all(pick.headline_ar in page for pick in picks) and "خبر يشارك الوسم" not in page


def newsroom_with(sections):
    photo = make_photo()
    for number in range(sections):
        desk = make_section()
        for _ in range(5):
            make_article(published=True, section=desk, lead_photo=photo,
                         authors=[make_person(), make_person()], tags=["سوريا", f"وسم {number}"])


@pytest.mark.django_db
def test_home_page_stays_within_budget_with_3_or_12_sections(client, django_assert_max_num_queries):
    newsroom_with(3)
    few = query_count(client, "/")
    newsroom_with(9)
    with django_assert_max_num_queries(BUDGET):
        client.get("/")
    assert query_count(client, "/") == few


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/section/{section}/", "/tag/سوريا/", "/person/{person}/", "/en/"])
def test_listing_pages_stay_within_budget(client, url, django_assert_max_num_queries):
    newsroom_with(4)
    article = make_article(published=True, tags=["سوريا"])
    url = url.format(section=article.section.slug, person=article.authors.first().slug)
    with django_assert_max_num_queries(BUDGET):
        assert client.get(url).status_code == 200
