import importlib
import sqlite3
from types import SimpleNamespace

import pytest
from django.db import connection, connections


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Every test writes its uploads to a folder of its own, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_page_cache(settings, tmp_path):
    """No cached pages (articles/page_cache.py) from an earlier test, a page generation of each test's own, and
    the page cache off unless a test turns it on (the ``page_cache`` fixture of tests/test_page_cache.py).

    Off, because a test's transaction never commits: the after-commit invalidation that follows every change in
    production never runs, so a page cached by a test's first request would hide everything it changes after.
    The page cache's own tests commit where they need to and check it there."""
    from django.core.cache import caches

    settings.NEWSROOM_PAGE_CACHE_STAMP = tmp_path / "page-generation"
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    caches["default"].clear()


@pytest.fixture(autouse=True)
def arabic_by_default():
    """A request to /en/ leaves English active in the thread; each test starts in Arabic, as the site does."""
    from django.utils import translation

    translation.activate("ar")
    yield
    translation.activate("ar")


@pytest.fixture(autouse=True)
def role_groups_survive_flushes(request):
    """A transactional test empties every table when it ends, the groups the roles migration made included;
    the next transactional test gets them back exactly as the migration makes them."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("articles.migrations.0005_roles")
    migration.create_role_groups(apps, SimpleNamespace(connection=connection))


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Tests log many people in; PBKDF2 at production strength costs ~0.6 s a user. What the tests check is
    who may do what, not the hash, so a fast hasher keeps the suite quick (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def database_threads_can_wait_on(tmp_path):
    """For tests that run threads against the database. PostgreSQL as it is. SQLite's in-memory test database
    (shared cache) answers a second writer "table is locked" at once instead of waiting, unlike the file
    database the site runs on; so the threads work on a file copy of it, with the project's own options
    (IMMEDIATE transactions, busy timeout)."""
    if connection.vendor != "sqlite":
        yield
        return
    memory = connections["default"]
    memory.ensure_connection()
    path = tmp_path / "threads.sqlite3"
    copy = sqlite3.connect(path)
    memory.connection.backup(copy)
    copy.close()
    # The settings dict is shared by every thread's connection; the in-memory one stays open behind it.
    original_name, memory.settings_dict["NAME"] = memory.settings_dict["NAME"], str(path)
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = memory
        memory.settings_dict["NAME"] = original_name
