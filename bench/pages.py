"""Render time and query count of every page as the archive grows, on SQLite and PostgreSQL, in process.

    make bench
    .venv/bin/python bench/pages.py                      (BENCH_SIZES=1000 for a quick run)

For each database (SQLite in a temporary folder; PostgreSQL at BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/newsroom_bench, created for the run and dropped at the end, so it must be a name
nothing else uses; BENCH_KEEP_DATABASE=1 keeps it, for bench/query_plans.py) the archive is grown step by step to
each size of BENCH_SIZES (default "1000,10000,100000") with ``manage.py generate_articles N --seed S`` (a new seed
each step, adding to the archive already there), and at each size a fresh Python process (settings read
DATABASE_URL at import) renders every page with Django's test Client: production settings (DEBUG off) and the page
cache off (NEWSROOM_PAGE_CACHE_SECONDS=0: the middleware computes no cache key, so every request renders). Each
page is requested BENCH_WARMUP times, then BENCH_REQUESTS times timed (median and 90th percentile); its queries are
counted (CaptureQueriesContext) on separate requests, so capturing SQL does not slow the timed ones. The article
page rotates over many published stories, the person page over the WRITERS writers with the most stories, the
photographer page over the generator's staff photographers (each with a quarter of the archive's lead photos); the
tag page and its feed are the most used tag's, the date archive a year five before the newest story's, the article
sitemap its last full page (a thousand stories at every size).

Figures are merged into bench/results/latest.json (under "pages"; bench/throughput.py writes "throughput") and
both parts are rendered to bench/results/latest.md. When PostgreSQL cannot be reached, the results say so and
the run carries on with SQLite.

bench/throughput.py reuses the pieces below.
"""

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402 - bench/load.py, beside this file: production environment, throwaway databases

ROOT = load.ROOT
RESULTS = load.RESULTS
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
DEFAULT_SIZES = "1000,10000,100000"
# A word of the generator's own text (articles/generate.py, SUBJECTS): in about one headline or summary in seven.
SEARCH_WORD = "الحكومة"
SUPERUSER = "bench-admin"
# How many writers the person page rotates over, at every size: as many as have a full page at 1,000 articles.
WRITERS = 20
# Pages the growth target (≤ 50 %, no new query) is about; the admin rows have their own target.
PUBLIC_PAGES = ["home", "article", "section", "tag", "person", "photographer", "search", "feed", "tag feed",
                "archive", "ninjs", "sitemap index", "sitemap, articles", "sitemap, tags", "sitemap, people"]
ADMIN_PAGES = ["admin list", "admin list, filtered", "admin list, searched"]
PAGES = PUBLIC_PAGES + ADMIN_PAGES
TARGETS = {
    "growth_percent": 50,
    "admin_ms": 400,
    "pg_search_ms": 150,
    "cached_over_fixed": 0.70,
    "uncached_over_static": 0.30,
}


def sizes():
    values = sorted({int(size) for size in os.environ.get("BENCH_SIZES", DEFAULT_SIZES).split(",") if size.strip()})
    if not values or values[0] < 1:
        sys.exit("BENCH_SIZES must list archive sizes of at least 1, e.g. 1000,10000,100000")
    return values


# --- Archives ---------------------------------------------------------------------------------------------------


def environment(database_url, workdir, **extra):
    """Production settings (bench/load.py's), the page cache off unless asked, on this database."""
    env = load.production_environment(database_url, workdir)
    # A user's own DJANGO_SETTINGS_MODULE must not leak into what is measured (load.py already drops REDIS_URL).
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Persistent connections, as docs/deploy.md's production shape has them (DB_CONN_MAX_AGE=60): otherwise
    # every request would also pay for opening a PostgreSQL connection.
    env.update(NEWSROOM_PAGE_CACHE_SECONDS="0", PYTHONPATH=str(ROOT),
               DB_CONN_MAX_AGE=os.environ.get("BENCH_CONN_MAX_AGE", "60"), **extra)
    return env


def manage(env, *arguments):
    """Run manage.py in its own process; returns its wall time in seconds."""
    started = time.monotonic()
    subprocess.run(  # noqa: S603 - this virtualenv's Python running the project's manage.py
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    return round(time.monotonic() - started, 1)


def prepare_database(env):
    """An empty, migrated database, and the static files production settings need (hashed names)."""
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")


def grow(env, have, want, step):
    """Add articles until the archive holds ``want`` (it holds ``have``): generate_articles adds to what is
    there. Returns seconds taken."""
    return manage(env, "generate_articles", str(want - have), "--seed", str(step), "--verbosity", "0")


def postgres_reachable(database_url):
    """None when the server answers, else why not."""
    import psycopg

    try:
        with psycopg.connect(load._maintenance_url(urlsplit(database_url)), connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
    return None


def postgres_version(database_url):
    import psycopg

    try:
        with psycopg.connect(load._maintenance_url(urlsplit(database_url)), connect_timeout=5) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error:
        return None


def measured_in_child(env, size):
    """Measure every page in a fresh process on the archive ``env`` names (see measure_here)."""
    completed = subprocess.run(  # noqa: S603 - this same script, in measuring mode
        [sys.executable, __file__, "--measure", str(size)], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- Measuring, in the child process ----------------------------------------------------------------------------


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def page_addresses(rotation=100):
    """Each page's addresses: the article and person pages rotate over many; the others are one address."""
    import random

    from django.db.models import Count, Q
    from django.urls import reverse

    from articles.models import Article, Person, Section, Tag
    from articles.sitemaps import ArticleSitemap
    from articles.views import PAGE_SIZE

    rng = random.Random(8)
    live = Article.objects.for_readers()
    ids = list(live.values_list("pk", flat=True))
    stories = list(live.filter(pk__in=rng.sample(ids, min(rotation, len(ids)))))
    # First, a story with hand-picked related stories and a photo in its body, the article page's costliest kind
    # (a fiftieth of a generated archive): the queries are counted on the first few addresses, and a random few
    # would count 6, 7 or 8 from one size to the next.
    costliest = live.filter(related_articles__isnull=False, inline_photos__isnull=False).order_by("pk").first()
    if costliest:
        stories = [costliest, *(story for story in stories if story.pk != costliest.pk)][:rotation]
    # The writers with the most stories readers see, each with more than a page of them where the archive has
    # such writers, so every size renders the same page (20 cards and the page links): at 1,000 articles most
    # writers have fewer, and a shorter page would pass for a faster one. As many at every size (WRITERS).
    writers = Person.objects.annotate(bylines=Count("articles", filter=Q(articles__in=live))).filter(bylines__gt=0)
    people = writers.filter(bylines__gt=PAGE_SIZE).order_by("-bylines", "pk")[:WRITERS]
    if len(people) < WRITERS:
        people = writers.order_by("-bylines", "pk")[:WRITERS]
    # Whoever took the most photos readers see: the generator's staff photographers, thousands each at 100,000.
    photographers = Person.objects.annotate(photos=Count("credited_photos")).filter(photos__gt=0)
    photographers = photographers.order_by("-photos", "pk")[:4]
    # The most used tag and the section with most stories: the biggest listings, the worst case.
    tag = Tag.objects.annotate(uses=Count("tagged_articles")).order_by("-uses", "pk").first()
    section = Section.objects.annotate(stories=Count("articles")).order_by("-stories", "pk").first()
    admin_list = reverse("admin:articles_article_changelist")
    # The article sitemap's last full page (a thousand stories at every size), as crawlers read the newest.
    full_pages = max(1, max(ids, default=0) // ArticleSitemap.limit)
    articles_sitemap = "/sitemap-articles.xml" + (f"?p={full_pages}" if full_pages > 1 else "")
    return {
        "home": ["/"],
        "article": [story.get_absolute_url() for story in stories],
        "section": [section.get_absolute_url()],
        "tag": [tag.get_absolute_url()],
        "person": [person.get_absolute_url() for person in people],
        "photographer": [person.get_absolute_url() for person in photographers],
        "search": [f"/search/?q={quote(SEARCH_WORD)}"],
        "feed": ["/feed/"],
        "tag feed": [f"{tag.get_absolute_url()}feed/"],
        # A year well inside the archive (the generator spreads stories over ten years): its index walk starts
        # in the middle of the archive, not at its newest end.
        "archive": [reverse("archive_year", args=[live.first().published_at.year - 5])],
        "ninjs": ["/api/ninjs/"],
        "sitemap index": ["/sitemap.xml"],
        "sitemap, articles": [articles_sitemap],
        "sitemap, tags": ["/sitemap-tags.xml"],
        "sitemap, people": ["/sitemap-people.xml"],
        "admin list": [admin_list],
        "admin list, filtered": [f"{admin_list}?status__exact=published&section__id__exact={section.pk}"],
        "admin list, searched": [f"{admin_list}?q={quote(SEARCH_WORD)}"],
    }


def from_on(sql):
    """A query from its FROM on: the column list says little, the tables and conditions are where the cost is."""
    _columns, found, rest = sql.partition(" FROM ")
    return f"SELECT … FROM {rest}" if found else sql  # noqa: S608 - text for the report, never run


def percentile(values, fraction):
    return load.percentile(values, fraction)


def measure_here(size, warmup, requests, captured, budget=30):
    """{page: {median_ms, p90_ms, queries, ...}} for the archive this process's settings name."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    user, _created = get_user_model().objects.get_or_create(
        username=SUPERUSER, defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    pages = page_addresses()
    figures = {"articles": Article.objects.count()}
    for page, addresses in pages.items():
        # Public pages are fetched as a reader, logged out; the admin as the superuser.
        reader = client if page.startswith("admin") else Client(HTTP_HOST="127.0.0.1")
        statuses = set()
        for number in range(warmup):
            statuses.add(reader.get(addresses[number % len(addresses)]).status_code)
        timings, deadline = [], time.monotonic() + budget
        for number in range(requests):
            # A page that takes seconds is timed fewer times (never under 10) rather than for minutes.
            if number >= 10 and time.monotonic() > deadline:
                break
            address = addresses[(number + warmup) % len(addresses)]
            began = time.perf_counter()
            response = reader.get(address)
            timings.append((time.perf_counter() - began) * 1000)
            statuses.add(response.status_code)
        counts, slowest = [], {"time": "0"}
        for number in range(min(captured, len(addresses)) or 1):
            with CaptureQueriesContext(connection) as queries:
                reader.get(addresses[number % len(addresses)])
            counts.append(len(queries))
            slowest = max([slowest, *queries.captured_queries], key=lambda query: float(query["time"]))
        figures[page] = {
            "median_ms": round(statistics.median(timings), 2),
            "p90_ms": round(percentile(timings, 0.90), 2),
            "queries": max(counts),
            "queries_min": min(counts),
            "addresses": len(addresses),
            "requests": len(timings),
            "statuses": sorted(statuses),
            # Where the time goes when a page grows: its slowest query (as timed while capturing).
            "slowest_query_ms": round(float(slowest["time"]) * 1000, 1),
            "slowest_query": from_on(slowest.get("sql", ""))[:1000],
        }
        if page.startswith("sitemap"):
            # What the page lists: a sitemap of tags grows with the tags in use, not with the stories.
            figures[page]["entries"] = response.content.count(b"<loc>")
    return figures


# --- The run ----------------------------------------------------------------------------------------------------


def run_database(label, database_url, workdir, size_list, figures):
    """Grow one database through every size, measuring at each, into figures["databases"][label]. The results
    are written after each size, so a long run that stops half-way keeps what it measured."""
    env = environment(database_url, workdir)
    result = figures["databases"][label] = {
        "url": database_url if label == "postgresql" else "sqlite (temporary file)", "sizes": {},
        "generation_seconds": {},
    }
    prepare_database(env)
    have = 0
    for step, size in enumerate(size_list, start=1):
        print(f"[{label}] generating {size - have:,} articles (to {size:,})", flush=True)
        result["generation_seconds"][str(size)] = grow(env, have, size, step)
        have = size
        print(f"[{label}] measuring at {size:,} articles", flush=True)
        result["sizes"][str(size)] = measured_in_child(env, size)
        write_results("pages", figures)


def machine(database_url=None):
    import django

    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgres": postgres_version(database_url) if database_url else None,
        "platform": platform.platform(),
        "load_average": round(os.getloadavg()[0], 2),
    }


def read_results():
    try:
        return json.loads((RESULTS / "latest.json").read_text())
    except (FileNotFoundError, ValueError):
        return {}


def write_results(part, figures):
    """Merge one script's part into latest.json (the other part kept), and render both to latest.md."""
    results = read_results()
    results[part] = figures
    results["date"] = figures["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["machine"] = figures.get("machine", results.get("machine"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(markdown(results))


def main():
    size_list = sizes()
    database_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"BENCH_DATABASE_URL must name a PostgreSQL database, not {database_url}")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-pages-"))
    figures = {
        "machine": machine(database_url),
        "sizes": size_list,
        "settings": "DEBUG off, page cache off (NEWSROOM_PAGE_CACHE_SECONDS=0), DB_CONN_MAX_AGE="
                    f"{os.environ.get('BENCH_CONN_MAX_AGE', '60')}, Django test Client in process",
        "search_word": SEARCH_WORD,
        "warmup": int(os.environ.get("BENCH_WARMUP", "5")),
        "requests": int(os.environ.get("BENCH_REQUESTS", "50")),
        "databases": {},
    }
    started = time.monotonic()
    try:
        sqlite_dir = workdir / "sqlite"
        sqlite_dir.mkdir()
        run_database("sqlite", f"sqlite:///{sqlite_dir / 'bench.sqlite3'}", sqlite_dir, size_list, figures)
        unreachable = postgres_reachable(database_url)
        if unreachable:
            print(f"[postgresql] unreachable, skipped: {unreachable}", flush=True)
            figures["databases"]["postgresql"] = {"unavailable": unreachable, "url": database_url}
        else:
            load.create_database(database_url)
            try:
                pg_dir = workdir / "postgresql"
                pg_dir.mkdir()
                run_database("postgresql", database_url, pg_dir, size_list, figures)
            finally:
                # BENCH_KEEP_DATABASE=1 leaves the largest PostgreSQL archive behind, for bench/query_plans.py.
                if os.environ.get("BENCH_KEEP_DATABASE") != "1":
                    drop(database_url)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    figures["seconds"] = round(time.monotonic() - started)
    figures["machine"]["load_average_end"] = round(os.getloadavg()[0], 2)
    write_results("pages", figures)
    print(f"Wrote {RESULTS / 'latest.json'} and {RESULTS / 'latest.md'}")
    print(markdown(read_results()))


def drop(database_url):
    import psycopg

    parts = urlsplit(database_url)
    with psycopg.connect(load._maintenance_url(parts), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


# --- Markdown ---------------------------------------------------------------------------------------------------


def verdict(ok):
    return "**PASS**" if ok else "**FAIL**"


def growth(first, last):
    return round((last - first) * 100 / first) if first else None


def pages_markdown(part):
    size_list = part["sizes"]
    first, last = str(size_list[0]), str(size_list[-1])
    lines = [
        "## Render time by archive size (in process)",
        "",
        f"{part['settings']}; median and 90th percentile of {part['requests']} requests (fewer, at least 10, for a "
        f"page past {os.environ.get('BENCH_PAGE_SECONDS', '30')} s of timing) after {part['warmup']} "
        f"warm-up requests, in ms; queries per request (the most seen over several requests). Search word: "
        f"«{part['search_word']}». Machine: {part['machine']['cores']} cores, Python {part['machine']['python']}, "
        f"Django {part['machine']['django']}, PostgreSQL {part['machine'].get('postgres') or 'n/a'}; load average "
        f"{part['machine']['load_average']} at the start, {part['machine'].get('load_average_end', '?')} at the end "
        f"(other work on the machine slows every figure). Run took {part.get('seconds', '?')} s.",
        "",
    ]
    for label, database in part["databases"].items():
        lines += [f"### {label}", ""]
        if "unavailable" in database:
            lines += [f"Not measured: PostgreSQL at {database['url']} could not be reached "
                      f"({database['unavailable']}).", ""]
            continue
        header = "| page | " + " | ".join(f"{int(size):,} articles" for size in size_list)
        header += f" | growth {int(first):,}→{int(last):,} | queries | query growth |"
        lines += [header, "|---|" + "---:|" * len(size_list) + "---:|---|---:|"]
        for page in PAGES:
            cells, rows = [], []
            for size in size_list:
                row = database["sizes"].get(str(size), {}).get(page)
                rows.append(row)
                cells.append(f"{row['median_ms']} (p90 {row['p90_ms']})" if row else "—")
                if row and row["statuses"] != [200]:
                    cells[-1] += f" HTTP {row['statuses']}"
            measured = [row for row in rows if row]
            if len(measured) > 1:
                rows = measured
                change = growth(rows[0]["median_ms"], rows[-1]["median_ms"])
                queries = " → ".join(str(row["queries"]) if row else "—" for row in rows)
                query_change = rows[-1]["queries"] - rows[0]["queries"]
                lines.append(f"| {page} | {' | '.join(cells)} | {change:+d} % | {queries} | {query_change:+d} |")
            else:
                lines.append(f"| {page} | {' | '.join(cells)} | — | — | — |")
        seconds = ", ".join(f"{int(size):,}: {secs} s" for size, secs in database["generation_seconds"].items())
        lines += ["", f"Time to generate each step (generate_articles, to the size named): {seconds}.", ""]
        listed = [
            f"{page} " + " → ".join(str(database["sizes"].get(str(size), {}).get(page, {}).get("entries", "—"))
                                    for size in size_list)
            for page in PAGES if page.startswith("sitemap")
        ]
        if listed:
            lines += [f"Addresses each sitemap page lists (`<loc>`), by size: {'; '.join(listed)}.", ""]
        biggest = database["sizes"].get(last, {})
        slow = sorted((row.get("slowest_query_ms", 0), page) for page, row in biggest.items() if page in PAGES)
        if slow and slow[-1][0]:
            lines += [f"Slowest query of each page at {int(last):,} articles (timed while capturing):", "",
                      "| page | ms | query (start) |", "|---|---:|---|"]
            for milliseconds, page in reversed(slow):
                sql = from_on(biggest[page]["slowest_query"])[:220].replace("|", "\\|").replace("`", "'")
                lines.append(f"| {page} | {milliseconds} | `{sql}` |")
            lines.append("")
    return lines


def targets_markdown(results):
    part = results.get("pages")
    lines = ["## Targets (issue 8)", "", "| target | figure | verdict |", "|---|---|---|"]
    if part:
        size_list = part["sizes"]
        first, last = str(size_list[0]), str(size_list[-1])
        full = size_list[-1] >= 100_000
        scope = "" if full else f" (largest size measured: {int(last):,}, not 100,000)"
        for label, database in part["databases"].items():
            if "unavailable" in database or last not in database["sizes"]:
                lines.append(f"| {label}: targets | not measured at {int(last):,} articles (yet) | — |")
                continue
            ours = database["sizes"]
            if len(size_list) > 1:
                for page in PUBLIC_PAGES:
                    a, b = ours[first][page], ours[last][page]
                    change = growth(a["median_ms"], b["median_ms"])
                    ok = change <= TARGETS["growth_percent"] and b["queries"] <= a["queries"]
                    lines.append(f"| {label}: {page}, {int(first):,}→{int(last):,}: median grows ≤ 50 %, no new "
                                 f"query | {change:+d} %, queries {a['queries']} → {b['queries']} | {verdict(ok)} |")
            for page in ADMIN_PAGES:
                median = ours[last][page]["median_ms"]
                lines.append(f"| {label}: {page} at {int(last):,}{scope} < 400 ms | {median} ms | "
                             f"{verdict(median < TARGETS['admin_ms'])} |")
            if label == "postgresql":
                median = ours[last]["search"]["median_ms"]
                lines.append(f"| PostgreSQL search at {int(last):,}{scope} < 150 ms median | {median} ms | "
                             f"{verdict(median < TARGETS['pg_search_ms'])} |")
    throughput = results.get("throughput")
    if throughput and throughput.get("ratios"):
        ratios = throughput["ratios"]
        for name, target, text in [
            ("cached article / fixed", "cached_over_fixed", "cached article ≥ 70 % of the fixed string"),
            ("uncached article / static", "uncached_over_static", "uncached article ≥ 30 % of the static template"),
        ]:
            if ratios.get(name) is not None:
                lines.append(f"| {text} | {ratios[name]:.2f} | {verdict(ratios[name] >= TARGETS[target])} |")
    return lines + [""]


def markdown(results):
    lines = [
        "# Benchmarks: pages by archive size, and throughput",
        "",
        f"Written by `make bench` (bench/pages.py, bench/throughput.py) on {results.get('date', '?')}. Absolute "
        "figures depend on the machine and on what else runs on it; compare rows of one run, and the ratios.",
        "",
    ]
    lines += targets_markdown(results)
    if results.get("pages"):
        lines += pages_markdown(results["pages"])
    if results.get("throughput"):
        import throughput

        lines += throughput.markdown_lines(results["throughput"])
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        setup_django()
        figures = measure_here(int(sys.argv[2]), warmup=int(os.environ.get("BENCH_WARMUP", "5")),
                               requests=int(os.environ.get("BENCH_REQUESTS", "50")),
                               captured=int(os.environ.get("BENCH_CAPTURED", "5")),
                               budget=float(os.environ.get("BENCH_PAGE_SECONDS", "30")))
        print(json.dumps(figures, ensure_ascii=False))
    else:
        main()
