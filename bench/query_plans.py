"""The query plans of the heaviest queries of each page, on a PostgreSQL archive: bench/results/query-plans.md.

    .venv/bin/python bench/query_plans.py          (part of `make bench`)

Builds a throwaway archive of BENCH_PLANS_SIZE articles (default 100,000) with `manage.py generate_articles` in
BENCH_PLANS_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/newsroom_plans, created and dropped by the
run), renders each page once in process (production settings, page cache off), keeps the slowest queries it sent
and asks PostgreSQL to run them again under EXPLAIN (ANALYZE, BUFFERS). The README's performance section quotes
them: each reads an index and stops after a page, whatever the size of the archive.
"""

import datetime
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402  (bench/load.py: the throwaway database helpers)

DATABASE_URL = os.environ.get("BENCH_PLANS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_plans")
SIZE = int(os.environ.get("BENCH_PLANS_SIZE", "100000"))
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["NEWSROOM_PAGE_CACHE_SECONDS"] = "0"
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "query-plans-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# Production settings fingerprint static files: collected into a throwaway folder.
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="newsroom-plans-static-"))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article, Person, Section, Tag  # noqa: E402

# How many of each page's slowest queries to explain.
PER_PAGE = 2


def pages():
    story = Article.objects.published().order_by("-published_at").first()
    older = Article.objects.published().order_by("published_at").first()
    section = Section.objects.order_by("pk").first()
    # The most used tag and the most prolific writer: the largest listings.
    tag = Tag.objects.annotate(uses=Count("tagged_articles")).order_by("-uses").first()
    writer = Person.objects.annotate(bylines=Count("articles")).order_by("-bylines").first()
    return [
        ("home", "/", False),
        ("English home", "/en/", False),
        ("article (newest)", story.get_absolute_url(), False),
        ("article (oldest)", older.get_absolute_url(), False),
        ("section", section.get_absolute_url(), False),
        ("tag (most used)", tag.get_absolute_url(), False),
        ("person (most bylines)", writer.get_absolute_url(), False),
        ("search «الحكومة»", "/search/?q=الحكومة", False),
        ("feed", "/feed/", False),
        ("admin article list", "/admin/articles/article/", True),
        ("admin article list, published", "/admin/articles/article/?status__exact=published", True),
        ("admin article list, searched", "/admin/articles/article/?q=الحكومة", True),
    ]


def main():
    load.create_database(DATABASE_URL)
    try:
        call_command("migrate", verbosity=0)
        call_command("generate_articles", SIZE, seed=7, verbosity=0)
        explain_pages()
    finally:
        load.drop_database(DATABASE_URL)


def explain_pages():
    editor = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "query-plans", "plans@example.org", None
    )
    call_command("collectstatic", "--noinput", verbosity=0)
    count = Article.objects.count()
    lines = [
        "# Query plans of the heaviest queries",
        "",
        f"Written by `bench/query_plans.py` on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
        f"PostgreSQL {connection.pg_version // 10000}, {count:,} articles. For each page, its "
        f"{PER_PAGE} slowest queries, run again under EXPLAIN (ANALYZE, BUFFERS).",
        "",
    ]
    for name, url, staff in pages():
        client = Client()
        if staff:
            client.force_login(editor)
        client.get(url, secure=True)  # warm: the plans are of a page readers keep asking for
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url, secure=True).status_code
        slowest = sorted(captured.captured_queries, key=lambda query: -float(query["time"]))[:PER_PAGE]
        lines += [f"## {name}: `{unquote(url)}` ({status}, {len(captured)} queries)", ""]
        for query in slowest:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            sql = query["sql"] if len(query["sql"]) < 600 else query["sql"][:600] + " …"
            lines += ["```sql", sql, "```", "", "```", plan, "```", ""]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "query-plans.md").write_text("\n".join(lines))
    print(f"wrote {RESULTS / 'query-plans.md'}")


if __name__ == "__main__":
    main()
