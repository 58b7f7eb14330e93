"""A database outage gets the short 503 page (newsroom/outage.py), never a 500, and the next request after the
database is back works without anything being restarted.

The outage is real: the default connection is swapped for one whose settings point where no database answers
(a closed port for PostgreSQL, a missing folder for SQLite), so connecting fails exactly as it does when the
server is down. bench/outage_drill.py does the same to a running gunicorn by stopping PostgreSQL itself.
"""

import socket
from contextlib import contextmanager

import pytest
from django.db import connections
from django.test import Client

from tests.factories import make_article, make_editor

pytestmark = pytest.mark.django_db

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


def test_persistent_connections_are_checked_before_reuse(settings):
    # Without the check, the first request a worker serves after a database restart fails on its dead connection.
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
