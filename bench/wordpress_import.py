"""Time ``import_wordpress`` on PostgreSQL: a generated export of 10,000 posts, each with a photo of its own,
imported with --later-renditions, then ``regenerate_renditions``, then the same export imported again.

    DEBUG=1 .venv/bin/python bench/wordpress_import.py [--posts 10000] [--photos N] [--renditions-now]

Creates a throwaway PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/newsroom_wpbench; dropped at the end, so it must be a name nothing else uses),
migrates it, and writes into a temporary folder a WXR 1.2 file and its uploads folder: Arabic posts in Gutenberg
blocks and classic-editor text with [caption] shortcodes, five authors, eight categories, a pool of 200 tags, a
tenth of the posts drafts. Every post shows one photo as its featured image and, as a sized copy, in its body: by
default a photo of its own (distinct 800×600 JPEGs, one file each); with --photos N fewer than the posts, post n takes
photo ((n - 1) mod N) + 1. Media go to a temporary MEDIA_ROOT.

The import runs with --later-renditions (photos stored, renditions left for later), and regenerate_renditions is
timed on its own after it: the two are the two steps of a real move. --renditions-now makes the renditions during the
import instead, after each photo's commit. Writes bench/results/wordpress-import.json and .md.
"""

import argparse
import io
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_wpbench"
LIMIT_SECONDS = 600


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def write_export(path, uploads, posts, photos, seed=9):
    photos = min(photos, posts) or 1
    """The export and its uploads folder; returns nothing, the file is written as it is generated."""
    from urllib.parse import quote

    from articles.generate import CONTEXT, OBJECTS, PLACES, SECTIONS, SUBJECTS, VERBS, generated_jpeg, tag_names
    from articles.text import unicode_slug

    rng = random.Random(seed)
    tags = [name for name, _en in tag_names()[:200]]
    names = ["سامر العلي", "ليلى حداد", "عمر الخطيب", "رنا منصور", "خالد شهاب"]
    authors = [(f"writer{n}", name) for n, name in enumerate(names)]
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n<channel>\n'
            "\t<title>موقع للقياس</title>\n\t<link>https://bench.example</link>\n"
            "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
            "\t<wp:base_site_url>https://bench.example</wp:base_site_url>\n"
        )
        for login, name in authors:
            out.write(f"\t<wp:author><wp:author_login>{login}</wp:author_login>"
                      f"<wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>\n")
        for number, (name, _english) in enumerate(SECTIONS, start=1):
            out.write(f"\t<wp:category><wp:term_id>{number}</wp:term_id><wp:category_nicename>"
                      f"{quote(unicode_slug(name)).lower()}</wp:category_nicename>"
                      f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n")
        for number, name in enumerate(tags, start=100):
            out.write(f"\t<wp:tag><wp:term_id>{number}</wp:term_id><wp:tag_slug>{quote(unicode_slug(name)).lower()}"
                      f"</wp:tag_slug><wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>\n")
        (uploads / "2020/01").mkdir(parents=True, exist_ok=True)
        for number in range(1, photos + 1):
            (uploads / f"2020/01/pool-{number}.jpg").write_bytes(generated_jpeg(number, size=(800, 600)))
            out.write(
                f"\t<item>\n\t\t<title>{cdata(f'صورة {number}')}</title>\n\t\t<dc:creator>writer0</dc:creator>\n"
                f"\t\t<excerpt:encoded>{cdata(f'مشهد من المدينة رقم {number} (تصوير: سامر العلي)')}</excerpt:encoded>\n"
                f"\t\t<wp:post_id>{number}</wp:post_id>\n\t\t<wp:status>inherit</wp:status>\n"
                "\t\t<wp:post_type>attachment</wp:post_type>\n"
                f"\t\t<wp:attachment_url>https://bench.example/wp-content/uploads/2020/01/pool-{number}.jpg"
                "</wp:attachment_url>\n"
                "\t\t<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
                f"<wp:meta_value>{cdata(f'شارع في المدينة {number}')}</wp:meta_value></wp:postmeta>\n\t</item>\n"
            )
        for number in range(1, posts + 1):
            post_id = 100000 + number
            subject, _en, feminine = rng.choice(SUBJECTS)
            verb = rng.choice(VERBS)[1 if feminine else 0]
            place = rng.choice(PLACES)[0]
            headline = f"{subject} {verb} {rng.choice(OBJECTS)[0]} في {place}"
            paragraphs = [rng.choice(CONTEXT)[0] + " " + rng.choice(CONTEXT)[0] for _ in range(5)]
            inline = (number - 1) % photos + 1  # the post's own photo, unless there are fewer photos than posts
            if number % 2:
                body = "\n\n".join(f"<!-- wp:paragraph -->\n<p>{escape(text)}</p>\n<!-- /wp:paragraph -->"
                                   for text in paragraphs[:3])
                body += (f'\n\n<!-- wp:image {{"id":{inline}}} -->\n<figure class="wp-block-image size-large">'
                         f'<img src="https://bench.example/wp-content/uploads/2020/01/pool-{inline}-768x511.jpg" '
                         f'alt="صورة"/><figcaption>مشهد</figcaption></figure>\n<!-- /wp:image -->\n\n')
                body += "\n\n".join(f"<!-- wp:paragraph -->\n<p>{escape(text)}</p>\n<!-- /wp:paragraph -->"
                                    for text in paragraphs[3:])
            else:
                body = "\n\n".join(paragraphs[:3])
                body += (f'\n\n[caption id="attachment_{inline}" width="300"]<img src="https://bench.example/'
                         f'wp-content/uploads/2020/01/pool-{inline}-300x200.jpg" alt="صورة" /> مشهد[/caption]\n\n')
                body += "\n\n".join(paragraphs[3:])
            when = f"{2010 + number % 14}-{1 + number % 12:02d}-{1 + number % 28:02d} {number % 24:02d}:15:00"
            status = "draft" if number % 10 == 0 else "publish"
            section = quote(unicode_slug(rng.choice(SECTIONS)[0])).lower()
            terms = "".join(
                f'\t\t<category domain="post_tag" nicename="{quote(unicode_slug(tag)).lower()}">'
                f"{cdata(tag)}</category>\n"
                for tag in rng.sample(tags, 3)
            )
            slug = quote(unicode_slug(headline)).lower()
            out.write(
                f"\t<item>\n\t\t<title>{cdata(headline)}</title>\n"
                f"\t\t<link>https://bench.example/{when[:4]}/{when[5:7]}/{slug}/</link>\n"
                f"\t\t<dc:creator>{rng.choice(authors)[0]}</dc:creator>\n"
                f"\t\t<content:encoded>{cdata(body)}</content:encoded>\n"
                f"\t\t<excerpt:encoded>{cdata(paragraphs[0])}</excerpt:encoded>\n"
                f"\t\t<wp:post_id>{post_id}</wp:post_id>\n\t\t<wp:post_date>{when}</wp:post_date>\n"
                f"\t\t<wp:post_date_gmt>{when}</wp:post_date_gmt>\n"
                f"\t\t<wp:post_modified_gmt>{when}</wp:post_modified_gmt>\n"
                f"\t\t<wp:post_name>{slug}</wp:post_name>\n\t\t<wp:status>{status}</wp:status>\n"
                "\t\t<wp:post_type>post</wp:post_type>\n"
                f'\t\t<category domain="category" nicename="{section}">x</category>\n{terms}'
                "\t\t<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                f"<wp:meta_value>{inline}</wp:meta_value></wp:postmeta>\n\t</item>\n"
            )
        out.write("</channel>\n</rss>\n")


def timed_import(path, uploads, later_renditions):
    from django.db import connection

    from articles.wordpress import Importer

    phases = {}
    started = time.monotonic()

    def progress(phase, done, total):
        phases.setdefault(phase, [time.monotonic() - started, 0])[1] = time.monotonic() - started
        if total and (done % 1000 == 0 or done == total):
            print(f"  {done:>7,}/{total:,} {phase}  {time.monotonic() - started:6.1f} s", file=sys.stderr)

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        report = Importer(path, media_dir=uploads, progress=progress, later_renditions=later_renditions).run()
    return time.monotonic() - started, report, phases, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=0, help="distinct photos (default: one for every post)")
    parser.add_argument("--renditions-now", action="store_true", help="make renditions during the import")
    args = parser.parse_args()
    args.photos = min(args.photos or args.posts, args.posts)
    later = not args.renditions_now
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    workdir = Path(tempfile.mkdtemp(prefix="wpbench-"))
    os.environ.update(DATABASE_URL=database_url, MEDIA_ROOT=str(workdir / "media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import load  # bench/load.py: the throwaway database's helpers

    load.create_database(database_url)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        export, uploads = workdir / "export.xml", workdir / "uploads"
        started = time.monotonic()
        write_export(export, uploads, args.posts, args.photos)
        generated = time.monotonic() - started
        print(f"export written: {export.stat().st_size / 2**20:.1f} MB in {generated:.1f} s", file=sys.stderr)
        first, report, phases, first_queries = timed_import(export, uploads, later)
        from articles.models import Article, Photo

        renditions = 0.0
        if later:
            print("regenerate_renditions…", file=sys.stderr)
            started = time.monotonic()
            call_command("regenerate_renditions", stdout=io.StringIO(), stderr=io.StringIO())
            renditions = time.monotonic() - started
        with_renditions = Photo.objects.exclude(renditions={}).count()
        second, again, _, queries = timed_import(export, uploads, later)

        results = {
            "posts": args.posts, "attachments": args.photos, "later_renditions": later,
            "export_mb": round(export.stat().st_size / 2**20, 1),
            "first_import_seconds": round(first, 1),
            "attachments_seconds": round(phases.get("attachments", [0, 0])[1], 1),
            "posts_seconds": round(first - phases.get("attachments", [0, 0])[1], 1),
            "posts_per_second": round(args.posts / first, 1),
            "first_import_queries": first_queries,
            "queries_per_post": round(first_queries / args.posts, 1),
            "regenerate_renditions_seconds": round(renditions, 1),
            "photos_with_renditions": with_renditions,
            "import_and_renditions_seconds": round(first + renditions, 1),
            "second_import_seconds": round(second, 1),
            "second_import_queries": queries,
            "articles": Article.objects.count(), "photos": Photo.objects.count(),
            "first_counts": {kind: dict(counts) for kind, counts in report.counts.items()},
            "second_counts": {kind: dict(counts) for kind, counts in again.counts.items()},
            "skipped": len(report.skipped), "missing_media": len(report.missing_media),
            "limit_seconds": LIMIT_SECONDS, "passed": first < LIMIT_SECONDS,
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
            "database": connection.vendor + " " + ".".join(str(part) for part in divmod(connection.pg_version, 10000)),
        }
    finally:
        load.drop_database(database_url)
        shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "wordpress-import.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "wordpress-import.md").write_text(markdown(results))
    print(markdown(results))
    return 0 if results["passed"] else 1


def why_shared(r):
    """Why the run shared its photos, from its own per-photo times."""
    per_rendition = r["regenerate_renditions_seconds"] / max(r["attachments"], 1)
    per_intake = r["attachments_seconds"] / max(r["attachments"], 1)
    return (
        f"Fewer photos than posts because of time: at the pace measured here, one photo for each of the "
        f"{r['posts']:,} posts\nwould take about {per_rendition * r['posts'] / 60:.0f} minutes of "
        f"regenerate_renditions, and the import's own photo work ({per_intake * 1000:.0f} ms a photo) would grow "
        f"by about\n{per_intake * (r['posts'] - r['attachments']) / 60:.0f} minutes.\n"
    )


def markdown(r):
    own = r["attachments"] == r["posts"]
    photos = (
        f"each with a photo of its own ({r['attachments']:,} distinct 800×600 JPEGs)" if own
        else f"each with one of {r['attachments']:,} distinct 800×600 JPEGs (fewer photos than posts: shared)"
    )
    mode = "with --later-renditions, then `manage.py regenerate_renditions`" if r["later_renditions"] else (
        "with the renditions made during the import"
    )
    return f"""# WordPress import: {r['posts']:,} posts on PostgreSQL

`bench/wordpress_import.py` on {r['machine']}, {r['database']}. A generated WXR 1.2 export ({r['export_mb']} MB):
{r['posts']:,} Arabic posts (half Gutenberg blocks, half classic text with [caption]), {photos}, shown as the
featured image and as a sized copy in the body; three tags from 200, a tenth drafts. Imported {mode}.

| | |
|---|---|
| first import | **{r['first_import_seconds']} s** ({r['posts_per_second']} posts/s; \
limit {r['limit_seconds']} s: {'PASS' if r['passed'] else 'FAIL'}) |
| of which attachments (read, digest, intake, store) | {r['attachments_seconds']} s \
({r['attachments_seconds'] / max(r['attachments'], 1) * 1000:.0f} ms a photo) |
| of which posts | {r['posts_seconds']} s |
| then `regenerate_renditions` | **{r['regenerate_renditions_seconds']} s** \
({r['regenerate_renditions_seconds'] / max(r['attachments'], 1) * 1000:.0f} ms a photo; \
{r['photos_with_renditions']:,} photos with renditions) |
| import and renditions together | {r['import_and_renditions_seconds']} s |
| queries, first import | {r['first_import_queries']:,} ({r['queries_per_post']} a post, everything included) |
| second import of the same file (nothing changes) | {r['second_import_seconds']} s, \
{r['second_import_queries']} queries |
| rows | {r['articles']:,} articles, {r['photos']:,} photos |
| skipped / missing media | {r['skipped']} / {r['missing_media']} |

{'' if own else why_shared(r)}
Until regenerate_renditions has made a photo's renditions, pages show its stored original
(articles/renditions.py, picture()). The second import reads and hashes every file again (the fingerprint holds each
file's content digest, not its date). Page-cache invalidation runs once at the end of the import, not after every
item (articles/wordpress.py).

First run: {json.dumps(r['first_counts'], ensure_ascii=False)}
Second run: {json.dumps(r['second_counts'], ensure_ascii=False)}
"""


if __name__ == "__main__":
    sys.exit(main())
