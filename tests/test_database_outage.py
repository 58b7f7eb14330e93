"""A database outage gets the short 503 page (newsroom/outage.py), never a 500, and the next request after the
database is back works without anything being restarted.

The outage is real: the default connection is swapped for one whose settings point where no database answers
(a closed port for PostgreSQL, a missing folder for SQLite), so connecting fails exactly as it does when the
server is down. bench/outage_drill.py does the same to a running gunicorn by stopping PostgreSQL itself.
"""

import logging
import socket
import sys
from contextlib import contextmanager

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception
from django.db import OperationalError, connection, connections
from django.db.models.signals import post_save
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path
from reversion.models import Version

from articles.history import revision
from articles.models import Article, ArticleAuthor
from newsroom.urls import urlpatterns as site_urlpatterns
from tests.factories import make_article, make_editor, make_person
from tests.test_admin_flow import admin_form_data, bylines

# The site's addresses plus one test-only view whose query fails (urlpatterns at the end of this module).
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminating a server backend needs PostgreSQL"
)

ARABIC_TITLE = "نعود بعد قليل"


def closed_port():
    """A port nothing listens on: bound by us for a moment, then let go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_unreachable(tmp_path):
    working = connections["default"]
    unreachable = dict(working.settings_dict)
    if working.vendor == "sqlite":
        unreachable["NAME"] = str(tmp_path / "no-such-folder" / "newsroom.sqlite3")
    else:
        unreachable.update(HOST="127.0.0.1", PORT=str(closed_port()))
    # The test's own transaction stays open on the working connection, put aside until the database "returns".
    connections["default"] = type(working)(unreachable, "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = working


@pytest.fixture
def client():
    # Errors raised by a middleware are turned into a response by Django, and then re-raised by the test client
    # unless told not to: this client sees what a browser would.
    return Client(raise_request_exception=False)


def assert_outage_page(response, title=ARABIC_TITLE):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert title in content
    assert "Traceback" not in content and "OperationalError" not in content


def test_public_page_answers_arabic_503_while_database_is_down_and_works_once_it_is_back(client, tmp_path):
    make_article(headline="خبر عاجل من المدينة", published=True)
    with database_unreachable(tmp_path):
        assert_outage_page(client.get("/"))
    response = client.get("/")
    assert response.status_code == 200
    assert "خبر عاجل من المدينة" in response.content.decode()


def test_outage_page_is_arabic_and_right_to_left_at_unprefixed_addresses(client, tmp_path):
    with database_unreachable(tmp_path):
        response = client.get("/search/?q=حلب")
    assert_outage_page(response)
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_english_edition_gets_the_outage_page_in_english(client, tmp_path):
    with database_unreachable(tmp_path):
        response = client.get("/en/")
    assert_outage_page(response, title="Back in a moment")
    # The save that met the outage was not kept: the page must not promise otherwise.
    assert "Your last change may not have been saved" in response.content.decode()
    assert '<html lang="en" dir="ltr">' in response.content.decode()


def test_logged_in_editor_gets_503_when_the_session_cannot_be_loaded(client, tmp_path):
    # The two-factor check loads the user (and so the session) in process_view, outside the view: the path that
    # process_exception never sees.
    client.force_login(make_editor())
    with database_unreachable(tmp_path):
        assert_outage_page(client.get("/admin/articles/article/"))
    assert client.get("/admin/articles/article/").status_code == 200


def test_admin_save_during_outage_gets_503_and_changes_nothing(client, tmp_path):
    editor = make_editor()
    article = make_article(headline="العنوان الأول")
    client.force_login(editor)
    with database_unreachable(tmp_path):
        response = client.post(f"/admin/articles/article/{article.pk}/change/", {"headline_ar": "عنوان لم يحفظ"})
    assert_outage_page(response)
    article.refresh_from_db()
    assert article.headline == "العنوان الأول"


def test_page_cache_without_a_generation_degrades_to_503_not_500(client, settings, tmp_path):
    # No stamp yet: starting a generation asks the database for the next scheduled story, inside the middleware.
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    with database_unreachable(tmp_path):
        assert_outage_page(client.get("/"))


def test_page_cache_keeps_serving_cached_pages_while_database_is_down(client, settings, tmp_path):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    make_article(headline="خبر محفوظ في ذاكرة الصفحات", published=True)
    assert client.get("/").status_code == 200
    with database_unreachable(tmp_path):
        response = client.get("/")
    assert response.status_code == 200
    assert "خبر محفوظ في ذاكرة الصفحات" in response.content.decode()


def test_a_database_error_that_is_no_outage_is_a_logged_500_not_the_outage_page(client, caplog):
    # "no such table" on SQLite, a statement timeout on PostgreSQL: both OperationalError, both real problems.
    reported = []
    got_request_exception.connect(record_exception := lambda **kwargs: reported.append(sys.exc_info()[1]))
    try:
        with caplog.at_level(logging.WARNING):
            response = client.get("/test-only/broken-query/")
    finally:
        got_request_exception.disconnect(record_exception)
    assert response.status_code == 500
    assert [type(error) for error in reported] == [OperationalError]
    assert any(record.name == "django.request" and record.exc_info for record in caplog.records)
    assert not [record for record in caplog.records if record.name == "newsroom.outage"]


def test_outage_is_logged_once_at_warning_with_its_cause(client, tmp_path, caplog):
    client.force_login(make_editor())
    with database_unreachable(tmp_path), caplog.at_level(logging.WARNING):
        assert_outage_page(client.get("/admin/articles/article/"))
    outage_lines = [record for record in caplog.records if record.name == "newsroom.outage"]
    assert len(outage_lines) == 1
    assert outage_lines[0].levelno == logging.WARNING
    assert isinstance(outage_lines[0].exc_info[1], OperationalError)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_persistent_connection_killed_by_the_server_is_replaced_on_the_next_request():
    # The test client skips Django's connection checks at request start and end; a server (gunicorn) runs them,
    # so the requests here go through Django's WSGI handler as a server sends them.
    connection = connections["default"]
    kept = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.settings_dict.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True)
    connection.close()  # the next connection is opened with the settings above
    try:
        assert serve("/") == "200 OK"
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (backend,) = cursor.fetchone()
        terminate_backend(backend)  # a database restart, as far as this worker's connection can tell
        assert serve("/") == "200 OK"
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != backend
    finally:
        connection.settings_dict.update(kept)
        connection.close()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_connection_lost_in_the_middle_of_an_admin_save_leaves_the_old_article_whole(client):
    # Transactional: the save really commits or really rolls back, as in production.
    old_writer, new_writer = make_person("ريم الحلبي"), make_person("سامر العلي")
    with revision(make_editor(username="first-editor"), "first"):
        article = make_article("العنوان الأول", published=True, authors=[old_writer], tags=("دمشق",))
    before = article_state(article)
    client.force_login(make_editor())
    url = f"/admin/articles/article/{article.pk}/change/"
    data = admin_form_data(
        client, url, headline_ar="عنوان لم يحفظ", new_tags="حلب", **bylines(old_writer, new_writer, initial=1)
    )

    def lose_connection_mid_save(sender, **kwargs):
        # The article row is already updated inside the transaction; now the server drops the connection.
        post_save.disconnect(lose_connection_mid_save, sender=ArticleAuthor)
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            terminate_backend(cursor.fetchone()[0])

    post_save.connect(lose_connection_mid_save, sender=ArticleAuthor)
    try:
        response = client.post(url, data)
    finally:
        post_save.disconnect(lose_connection_mid_save, sender=ArticleAuthor)
    assert_outage_page(response)
    assert article_state(article) == before


def article_state(article):
    article = Article.objects.get(pk=article.pk)
    return {
        "headline": article.headline_ar,
        "version": article.version,
        "bylines": list(article.articleauthor_set.order_by("order").values_list("person_id", "order")),
        "tags": sorted(article.tags.values_list("name", flat=True)),
        "revisions": Version.objects.get_for_object(article).count(),
    }


def terminate_backend(pid):
    """Ends the server process behind a connection, from a second connection, and waits until it is gone."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone()[0]
    finally:
        other.close()


def serve(path):
    """The status line of one GET through Django's WSGI handler, the way a WSGI server calls it."""
    statuses = []
    environ = RequestFactory().get(path).environ
    response = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(response)
    response.close()  # request_finished: Django's end-of-request connection check
    return statuses[0]


def broken_query(request):
    with connections["default"].cursor() as cursor:
        if connections["default"].vendor == "postgresql":
            cursor.execute("SET LOCAL statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")
        else:
            cursor.execute("SELECT * FROM no_such_table")
    return HttpResponse("unreachable")


urlpatterns = [path("test-only/broken-query/", broken_query), *site_urlpatterns]
