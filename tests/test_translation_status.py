"""Translation status: per article and language, whether a translation exists and whether it is stale."""

import pytest
from django.utils import timezone

from articles.models import Article
from articles.translation_status import CURRENT, MISSING, STALE, translation_status
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


def translated(headline="خبر مترجم"):
    article = make_article(headline)
    article.headline_en, article.body_en = "A translated story", "<p>The text.</p>"
    article.save()
    return Article.objects.get(pk=article.pk)


def stale(headline="خبر تغيّر نصه"):
    article = translated(headline)
    # The Arabic source changes after the translation was saved.
    article.text_changed_at_en = timezone.now() - timezone.timedelta(hours=1)
    article.save(update_fields=["text_changed_at_en"])
    article = Article.objects.get(pk=article.pk)
    article.body_ar = "<p>نص مصحح بعد الترجمة.</p>"
    article.save()
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("editor"))
    return client


def status_cell(html, article):
    """The English column of the article's row in the list."""
    row = html[html.index(f'value="{article.pk}"'):]
    row = row[:row.index("</tr>")]
    cell = row[row.index("field-translation_en"):]
    return cell[:cell.index("</td>")]


def test_status_follows_the_source_and_the_translation():
    untranslated, current, outdated = make_article(), translated(), stale()

    assert translation_status(untranslated, "en") == MISSING
    assert translation_status(current, "en") == CURRENT
    assert translation_status(outdated, "en") == STALE
    # Mending the translation is not bringing it up to date: the Arabic's change may still be untranslated.
    outdated.body_en = "<p>The text, with a comma mended.</p>"
    outdated.save()
    assert translation_status(Article.objects.get(pk=outdated.pk), "en") == STALE
    # The translator's word is.
    outdated = Article.objects.get(pk=outdated.pk)
    outdated.translation_matches_source("en")
    outdated.save()
    assert translation_status(Article.objects.get(pk=outdated.pk), "en") == CURRENT


def test_a_translation_brought_up_to_date_with_a_source_change_in_the_same_save_is_current():
    article = stale()
    article.body_ar = "<p>نص مصحح مرة أخرى.</p>"
    article.body_en = "<p>The text, corrected again.</p>"
    article.translation_matches_source("en")
    article.save()
    assert translation_status(Article.objects.get(pk=article.pk), "en") == CURRENT


def test_the_article_form_offers_to_bring_a_stale_translation_up_to_date_and_only_then(editor_client):
    from tests.test_admin_flow import admin_form_data

    current, outdated = translated(), stale()
    url = f"/admin/articles/article/{outdated.pk}/change/"

    current_form = editor_client.get(f"/admin/articles/article/{current.pk}/change/").text
    assert 'name="translations_matching_source"' not in current_form
    mended = editor_client.post(url, admin_form_data(editor_client, url, body_en="<p>A comma mended.</p>"))
    assert mended.status_code == 302
    assert translation_status(Article.objects.get(pk=outdated.pk), "en") == STALE
    brought = editor_client.post(url, admin_form_data(editor_client, url, translations_matching_source=["en"]))
    assert brought.status_code == 302
    assert translation_status(Article.objects.get(pk=outdated.pk), "en") == CURRENT
    assert 'name="translations_matching_source"' not in editor_client.get(url).text


def test_editing_the_source_after_the_translation_shows_it_stale_in_the_list(editor_client):
    article = translated()
    # Written ten minutes ago, translated five minutes ago.
    Article.objects.filter(pk=article.pk).update(
        text_changed_at_ar=timezone.now() - timezone.timedelta(minutes=10),
        text_changed_at_en=timezone.now() - timezone.timedelta(minutes=5),
    )

    before = status_cell(editor_client.get(CHANGELIST).content.decode(), article)
    source = Article.objects.get(pk=article.pk)
    source.headline_ar = "عنوان عربي مصحح"
    source.save()
    after = status_cell(editor_client.get(CHANGELIST).content.decode(), article)

    assert "translation-current" in before
    assert "translation-stale" in after


def test_article_list_shows_each_articles_english_status(editor_client):
    untranslated, current, outdated = make_article(), translated(), stale()

    html = editor_client.get(CHANGELIST).content.decode()

    assert "translation-missing" in status_cell(html, untranslated)
    assert "translation-current" in status_cell(html, current)
    assert "translation-stale" in status_cell(html, outdated)


@pytest.mark.parametrize(("choice", "expected"), [("missing", "untranslated"), ("stale", "outdated")])
def test_list_filters_needs_translation_and_translation_stale(editor_client, choice, expected):
    articles = {"untranslated": make_article(), "current": translated(), "outdated": stale()}

    response = editor_client.get(CHANGELIST, {"translation_en": choice})

    assert [article.pk for article in response.context["cl"].result_list] == [articles[expected].pk]


def test_article_page_shows_the_status_per_language(editor_client):
    outdated = stale()

    html = editor_client.get(f"/admin/articles/article/{outdated.pk}/change/").content.decode()
    panel = html[html.index('class="translation-panel"'):]
    panel = panel[:panel.index("</ul>")]

    assert "translation-stale" in panel


def test_status_columns_cost_no_query_per_article(editor_client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        make_article()
    with CaptureQueriesContext(connection) as few:
        editor_client.get(CHANGELIST)
    for _ in range(20):
        translated()

    with django_assert_max_num_queries(len(few)):
        editor_client.get(CHANGELIST)
