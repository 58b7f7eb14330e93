"""The English edition's pages when only a few stories are translated, with and without its own indexes.

    .venv/bin/python bench/thin_edition.py               (BENCH_THIN_SIZE=10000 for a quick run)

A newsroom translates a small share of its stories, or starts a new edition (Turkish) over a large Arabic archive.
bench/pages.py measures the generator's archive, a fifth of it translated, where an English listing finds its page
of stories within a few dozen of the newest. Here only the translated stories among one in BENCH_THIN_EVERY
(default 100) keep their English text: about one story in 500. For each database (SQLite in a temporary folder;
PostgreSQL at BENCH_THIN_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/newsroom_bench_thin, created and
dropped by the run) an archive of BENCH_THIN_SIZE articles (default 100,000) is generated and thinned, then each
page is rendered in process (production settings, page cache off; BENCH_REQUESTS timed after BENCH_WARMUP,
medians; the section, tag and writer with the most English stories, a search for the longest word of the newest
English headline, and the tag and people sitemaps, whose English alternates ask the thin edition) twice: with the
edition's indexes (migration 0020, `article_newest_en_idx` and `article_section_en_idx`), then after dropping
them, as the site was before. The Arabic home is the yardstick. Figures: bench/results/thin-edition.md.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402 - bench/load.py: throwaway databases
import pages  # noqa: E402 - bench/pages.py: archives in their own processes

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench_thin"
EDITION_INDEXES = ["article_newest_en_idx", "article_section_en_idx"]
OUTPUT = load.RESULTS / "thin-edition.md"


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure_here()))  # noqa: T201 - read by the parent process
        return
    size = int(os.environ.get("BENCH_THIN_SIZE", "100000"))
    every = int(os.environ.get("BENCH_THIN_EVERY", "100"))
    results = {}
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-thin-"))
    try:
        databases = [("SQLite", f"sqlite:///{workdir / 'thin.sqlite3'}")]
        database_url = os.environ.get("BENCH_THIN_DATABASE_URL", DEFAULT_DATABASE_URL)
        unreachable = pages.postgres_reachable(database_url)
        if unreachable:
            results["PostgreSQL"] = {"unavailable": unreachable}
            print(f"PostgreSQL skipped: {unreachable}")  # noqa: T201
        else:
            databases.append(("PostgreSQL", database_url))
        for label, url in databases:
            if url.startswith("postgres"):
                load.create_database(url)
            try:
                env = pages.environment(url, workdir, BENCH_THIN_EVERY=str(every))
                pages.prepare_database(env)
                pages.grow(env, 0, size, 1)
                results[label] = {
                    "with the edition's indexes": measured(env, "thin"),
                    "without them (before)": measured(env, "drop"),
                }
                print(label, json.dumps(results[label], indent=1))  # noqa: T201
            finally:
                if url.startswith("postgres"):
                    pages.drop(url)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    OUTPUT.write_text(markdown(results, size, every), encoding="utf-8")
    print(f"written: {OUTPUT.relative_to(load.ROOT)}")  # noqa: T201


def measured(env, step):
    output = subprocess.run(  # noqa: S603 - this script, in a fresh process reading DATABASE_URL
        [sys.executable, __file__, "--measure"], env=env | {"BENCH_THIN_STEP": step}, check=True,
        stdout=subprocess.PIPE, text=True, cwd=load.ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure_here():
    pages.setup_django()
    from django.db import connection
    from django.db.models import Count, Q
    from django.db.models.functions import Mod
    from django.test import Client
    from django.utils.translation import override

    from articles.models import Article, Person, SearchDocument, Section, Tag

    if os.environ["BENCH_THIN_STEP"] == "thin":
        every = int(os.environ["BENCH_THIN_EVERY"])
        # The text goes, as if never translated; the search index follows (it lists what each edition holds).
        Article.objects.alias(place=Mod("pk", every)).exclude(place=0).update(headline_en="", body_en="")
        SearchDocument.objects.filter(language="en").exclude(article__in=Article.objects.in_edition("en")).delete()
        # Compacted, as an archive that was never translated would be: PostgreSQL keeps the old copy of every
        # updated row until a vacuum, and its walks of a table twice the size took twice as long.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM FULL" if connection.vendor == "postgresql" else "VACUUM")
    else:
        with connection.cursor() as cursor:
            for index in EDITION_INDEXES:
                cursor.execute(f"DROP INDEX {index}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    english = Article.objects.for_readers("en")
    translated = english.count()
    if not translated:
        sys.exit("No English story is left: thin a larger archive (BENCH_THIN_SIZE) or fewer (BENCH_THIN_EVERY).")
    # The biggest English listings: the section, tag and writer with the most English stories (their Arabic
    # pages may be larger still, but a tag without any English story has no English page).
    section = Section.objects.annotate(stories=Count("articles", filter=Q(articles__in=english)))
    tag = Tag.objects.annotate(uses=Count("tagged_articles", filter=Q(tagged_articles__content_object__in=english)))
    writer = Person.objects.annotate(bylines=Count("articles", filter=Q(articles__in=english)))
    section = section.order_by("-stories", "pk").first()
    tag = tag.order_by("-uses", "pk").first()
    writer = writer.order_by("-bylines", "pk").first()
    # A word of the newest English headline: what a reader of the English edition would search for.
    search_word = max(english.first().headline_en.split(), key=len)
    with override("en"):
        addresses = {
            "Arabic home (yardstick)": "/",
            "English home": "/en/",
            "English section": section.get_absolute_url(),
            "English tag (most English stories)": tag.get_absolute_url(),
            "English writer (most English bylines)": writer.get_absolute_url(),
            "English feed": "/en/feed/",
            "English tag feed": f"{tag.get_absolute_url()}feed/",
            "English year archive": f"/en/archive/{Article.objects.for_readers('ar').first().published_at.year - 1}/",
            "English ninjs": "/en/api/ninjs/",
            "English search": f"/en/search/?q={quote(search_word)}",
            # One sitemap for both editions: each row's English alternate is looked up in the thin edition.
            "tag sitemap": "/sitemap-tags.xml",
            "people sitemap": "/sitemap-people.xml",
        }
    client = Client(HTTP_HOST="127.0.0.1")
    medians = {}
    for name, address in addresses.items():
        for _ in range(int(os.environ.get("BENCH_WARMUP", "5"))):
            response = client.get(address)
            assert response.status_code == 200, (address, response.status_code)
        timings = []
        for _ in range(int(os.environ.get("BENCH_REQUESTS", "30"))):
            started = time.perf_counter()
            client.get(address)
            timings.append((time.perf_counter() - started) * 1000)
        medians[name] = round(statistics.median(timings), 1)
    return {"translated": translated, "articles": Article.objects.count(), "median_ms": medians}


def markdown(results, size, every):
    lines = [
        "# A thin English edition (bench/thin_edition.py)",
        "",
        f"Written on {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC. {size:,} generated articles, the translated "
        f"ones among one in {every} keeping their English text; in-process medians in ms, production settings, "
        "page cache off.",
        "",
    ]
    for label, runs in results.items():
        if "unavailable" in runs:
            lines += [f"## {label}: not measured ({runs['unavailable']})", ""]
            continue
        after, before = runs["with the edition's indexes"], runs["without them (before)"]
        lines += [
            f"## {label}: {after['translated']:,} of {after['articles']:,} stories in English",
            "",
            "| page | without the edition's indexes | with them |",
            "|---|---:|---:|",
        ]
        lines += [
            f"| {name} | {before['median_ms'][name]} | {after['median_ms'][name]} |" for name in after["median_ms"]
        ]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
