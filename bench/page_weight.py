"""Weigh the article page as a reader's browser fetches it: the gzipped HTML plus every stylesheet, script and
font it loads, at the size WhiteNoise sends them (precompressed; woff2 as is). Photos are left out.

    DEBUG=1 .venv/bin/python bench/page_weight.py

Builds a throw-away test database with the demo newsroom (manage.py seed_demo), collects the static files into
a temporary folder with the production storage (compressed and fingerprinted), weighs the demo's richest article
page (lead photo, tags, related stories, support box) and writes bench/results/page-weight.md.
tests/test_page_weight.py checks the same figure against the budget with the helpers below.
"""

import gzip
import io
import os
import re
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BUDGET = 150 * 1024
# What production serves static files with (newsroom/settings.py, DEBUG off).
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FONT_URL = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)""")
FONT_FACE = re.compile(r"@font-face\s*{[^}]*}", re.DOTALL)


class PageRequests(HTMLParser):
    """What a browser fetches while loading the page (stylesheets, scripts), and every address <head> names."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stylesheets, self.scripts, self.head_addresses = [], [], []
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self._in_head = True
        rel = set((attrs.get("rel") or "").split())
        if tag == "link" and "stylesheet" in rel:
            self.stylesheets.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if self._in_head:
            # Canonical and alternate links name pages; they are not requests the page waits for.
            if tag == "link" and not rel & {"canonical", "alternate"}:
                self.head_addresses.append(attrs.get("href", ""))
            if attrs.get("src"):
                self.head_addresses.append(attrs["src"])

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False


def static_file(url):
    """The collected file behind a static address."""
    return Path(settings.STATIC_ROOT) / urlsplit(url).path.removeprefix(settings.STATIC_URL)


def font_urls(stylesheet_url):
    """The fonts a collected stylesheet's @font-face rules load, as absolute static addresses."""
    css = static_file(stylesheet_url).read_text()
    return [
        urljoin(stylesheet_url, match)
        for face in FONT_FACE.findall(css)
        for match in FONT_URL.findall(face)
    ]


def sent_size(path):
    """Bytes on the wire: WhiteNoise sends the .br or .gz file it wrote beside the original when there is one."""
    for suffix in (".br", ".gz"):
        compressed = path.with_name(path.name + suffix)
        if compressed.exists():
            return compressed.stat().st_size
    return path.stat().st_size


def weigh(client, url):
    """The page at ``url`` and what it loads: {"html": gzipped bytes, "files": [(address, kind, bytes sent)],
    "total": bytes, "page": the parsed PageRequests}."""
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200, response.status_code
    assert response.get("Content-Encoding") == "gzip", "the HTML should be sent compressed"
    page = PageRequests()
    page.feed(gzip.decompress(response.content).decode())
    files = [(href, "stylesheet", sent_size(static_file(href))) for href in page.stylesheets]
    files += [(src, "script", sent_size(static_file(src))) for src in page.scripts]
    files += [(font, "font", sent_size(static_file(font))) for href in page.stylesheets for font in font_urls(href)]
    html = len(response.content)
    return {"html": html, "files": files, "total": html + sum(size for _url, _kind, size in files), "page": page}


def report(weight, url):
    lines = [
        "# Article page weight",
        "",
        "`DEBUG=1 .venv/bin/python bench/page_weight.py`: the demo newsroom's article page with a lead photo, tags,",
        "related stories and the support box; HTML as the site sends it (gzip), static files as WhiteNoise sends",
        "them after `collectstatic` (precompressed, fingerprinted), fonts as woff2. Photos are not counted.",
        "",
        f"Page: `{unquote(url)}`",
        "",
        "| what | bytes sent |",
        "|---|---:|",
        f"| HTML (gzip) | {weight['html']:,} |",
    ]
    for address, kind, size in weight["files"]:
        lines.append(f"| {kind}: `{Path(urlsplit(address).path).name}` | {size:,} |")
    lines += [
        f"| **total** | **{weight['total']:,}** ({weight['total'] / 1024:.1f} KiB; budget {BUDGET // 1024} KiB) |",
        "",
    ]
    return "\n".join(lines)


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment, teardown_test_environment

    from articles.models import Article

    setup_test_environment()
    database = connection.creation.create_test_db(verbosity=0)
    try:
        # DEBUG off, as in production: the manifest storage hands out fingerprinted names only then.
        with tempfile.TemporaryDirectory() as folder, override_settings(
            DEBUG=False, STATIC_ROOT=Path(folder) / "static", MEDIA_ROOT=Path(folder) / "media",
            STORAGES=PRODUCTION_STORAGES,
        ):
            call_command("collectstatic", interactive=False, verbosity=0)
            call_command("seed_demo", verbosity=0, stdout=io.StringIO())
            # The richest story: a lead photo, the most tags and related stories.
            story = max(
                Article.objects.for_readers().filter(lead_photo__isnull=False).prefetch_related("tags"),
                key=lambda article: (article.related_articles.count(), len(article.tags.all()), len(article.body)),
            )
            url = story.get_absolute_url()
            weight = weigh(Client(), url)
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)
        teardown_test_environment()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "page-weight.md").write_text(report(weight, url))
    print(report(weight, url))


if __name__ == "__main__":
    main()
