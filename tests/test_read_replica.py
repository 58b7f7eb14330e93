"""The optional read replica (newsroom/routers.py): readers' pages read from it; writes, the admin, transactions
and management commands use the primary.

The router's decisions are checked directly, request by request. The whole path (settings, middleware, router,
views) is checked in a fresh process started with DATABASE_URL and DATABASE_REPLICA_URL naming two SQLite files
whose contents differ, so where each page read from shows on the page itself.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import RequestFactory

from articles.models import Article
from newsroom.routers import ReaderRequestMiddleware, ReplicaRouter, reader_request

ROOT = Path(__file__).resolve().parent.parent
router = ReplicaRouter()


def database_read_during(method, path, model=Article):
    """Which database the router picks for a read of ``model`` while the middleware handles this request."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(model))
        return None

    ReaderRequestMiddleware(view)(RequestFactory().generic(method, path))
    return seen[0]


@pytest.mark.parametrize("path", ["/", "/en/", "/search/?q=دمشق", "/feed/"])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_public_page_request_reads_from_the_replica(method, path):
    assert database_read_during(method, path) == "replica"


@pytest.mark.parametrize(
    "path", ["/admin/articles/article/", "/en/admin/", "/preview/abc/", "/accounts/two-factor/", "/i18n/setlang/"]
)
def test_admin_preview_account_and_language_requests_read_from_the_primary(path):
    assert database_read_during("GET", path) == "default"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_requests_that_may_write_read_from_the_primary(method):
    assert database_read_during(method, "/") == "default"


@pytest.mark.parametrize("model", [Session, get_user_model()])
def test_login_state_is_read_from_the_primary_even_on_public_pages(model):
    assert database_read_during("GET", "/", model) == "default"


def test_reads_outside_any_request_use_the_primary():
    # Management commands (publish_scheduled, backup) and the shell run outside any request.
    assert router.db_for_read(Article) == "default"


def test_reader_mark_ends_with_the_request_even_when_the_view_raises():
    def failing_view(request):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        ReaderRequestMiddleware(failing_view)(RequestFactory().get("/"))
    assert reader_request.get() is False


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_use_the_primary_even_on_public_pages():
    seen = []

    def view(request):
        seen.append(router.db_for_read(Article))
        with transaction.atomic():
            seen.append(router.db_for_read(Article))
        return None

    ReaderRequestMiddleware(view)(RequestFactory().get("/"))
    assert seen == ["replica", "default"]


def test_writes_always_go_to_the_primary_and_only_the_primary_is_migrated():
    token = reader_request.set(True)
    try:
        assert router.db_for_write(Article) == "default"
    finally:
        reader_request.reset(token)
    assert router.allow_migrate("default", "articles") is True
    assert router.allow_migrate("replica", "articles") is False


def test_replica_alias_router_and_middleware_exist_only_when_database_replica_url_is_set():
    expression = (
        "(sorted(settings.DATABASES), getattr(settings, 'DATABASE_ROUTERS', []),"
        " 'newsroom.routers.ReaderRequestMiddleware' in settings.MIDDLEWARE)"
    )
    assert run_python(f"from django.conf import settings; print(repr({expression}))", {}) == repr(
        (["default"], [], False)
    )
    configured = run_python(
        f"from django.conf import settings; print(repr({expression}))",
        {"DATABASE_REPLICA_URL": "postgres://reader@replica.example:5432/newsroom"},
    )
    assert configured == repr((["default", "replica"], ["newsroom.routers.ReplicaRouter"], True))


# Runs in a process started with both databases configured. The primary gets an article and then a copy of
# itself becomes the replica; the headline is then changed in the replica alone, and an editor created in the
# primary alone. Each page shows which file it read.
WHOLE_PATH_SCRIPT = """
import json, sqlite3
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from articles.models import Article
from tests.factories import make_article, make_editor

setup_test_environment()
article = make_article("عنوان الأصل", published=True, lead_photo=False)
connections.close_all()
primary, replica = settings.DATABASES["default"]["NAME"], settings.DATABASES["replica"]["NAME"]
with sqlite3.connect(primary) as source, sqlite3.connect(replica) as copy:
    source.backup(copy)
with sqlite3.connect(replica) as copy:
    copy.execute("UPDATE articles_article SET headline = ?, headline_ar = ? WHERE id = ?",
                 ["عنوان النسخة", "عنوان النسخة", article.pk])
editor = make_editor()

public = Client().get(article.get_absolute_url())
admin = Client()
admin.force_login(editor)
change_page = admin.get(reverse("admin:articles_article_change", args=[article.pk]))
read_outside_requests = Article.objects.get(pk=article.pk).headline_ar
Article.objects.filter(pk=article.pk).update(headline_ar="عنوان بعد الحفظ")
headline_in = lambda name: sqlite3.connect(name).execute(
    "SELECT headline_ar FROM articles_article WHERE id = ?", [article.pk]).fetchone()[0]
print(json.dumps({
    "public_status": public.status_code, "public": public.content.decode(),
    "admin_status": change_page.status_code, "admin": change_page.content.decode(),
    "read_outside_requests": read_outside_requests,
    "primary_after_write": headline_in(primary), "replica_after_write": headline_in(replica),
}))
"""


def test_public_pages_read_the_replica_while_the_admin_and_writes_use_the_primary(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    environment = {
        "DATABASE_URL": f"sqlite:///{primary}", "DATABASE_REPLICA_URL": f"sqlite:///{replica}",
        "MEDIA_ROOT": str(tmp_path / "media"), "NEWSROOM_PAGE_CACHE_SECONDS": "0",
        "NEWSROOM_PAGE_CACHE_STAMP": str(tmp_path / "page-generation"), "NEWSROOM_REQUIRE_LEAD_PHOTO": "0",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=clean_environment(environment),
        capture_output=True, text=True, timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr
    assert not replica.exists(), "migrate must leave the replica alone"

    result = json.loads(run_python(WHOLE_PATH_SCRIPT, environment))

    assert result["public_status"] == 200
    assert "عنوان النسخة" in result["public"] and "عنوان الأصل" not in result["public"]
    # The editor exists only in the primary: the admin page opens for her, and shows the primary's headline.
    assert result["admin_status"] == 200
    assert "عنوان الأصل" in result["admin"] and "عنوان النسخة" not in result["admin"]
    assert result["read_outside_requests"] == "عنوان الأصل"
    assert result["primary_after_write"] == "عنوان بعد الحفظ"
    assert result["replica_after_write"] == "عنوان النسخة"


def clean_environment(environment):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL"}}
    return clean | environment | {"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "newsroom.settings"}


def run_python(script, environment):
    """Run ``script`` after django.setup() in a fresh process started with ``environment`` (DEBUG on)."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + script], cwd=ROOT,
        env=clean_environment(environment), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
