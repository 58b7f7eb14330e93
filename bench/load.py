"""Load test: 50 readers on the public pages while 5 editors keep saving their stories through the admin, against
gunicorn (2 sync workers, production settings) on PostgreSQL, on loopback only, for a bounded time.

    make load                                   (60 seconds)
    .venv/bin/python bench/load.py --seconds 20 --readers 50 --editors 5

DATABASE_URL names the PostgreSQL database to use (default postgres://postgres@127.0.0.1:5432/newsroom_load). It
is created for the run and dropped at the end, so it must be a name nothing else uses. The run migrates it, loads
the demo newsroom plus LOAD_EXTRA_ARTICLES more published stories, makes one editor account (role «محرر») and one
published story per editor (scheduled, with --scheduled), collects the static files into a temporary folder and
starts gunicorn on a free port.

Readers fetch home, article, section, tag, search and feed pages as fast as they are answered (no pause), as
browsers do (gzip accepted, a new connection a request: gunicorn's sync workers do not keep connections alive).
Editors log in through the real admin login page, then, again and again: open their story's change form, read
every field it holds (the CSRF token and the version the form was opened at included), change the headline to
one with a counter and post the form, as the browser would. A 302 is the server acknowledging the save. After
the run each editor's last acknowledged headline must be what the database holds: otherwise an edit was lost.

With --photo-editors N, N photographers (role «مصور») do the same to the caption of a photo of their own in the
library, which no story uses: the photo desk's day after an upload. No public page shows such a photo, so readers
should not notice them (articles/signals.py); --editors 0 --photo-editors 5 --name load-photo-desk measures that.
With --scheduled the editors' stories are scheduled for twelve hours ahead, as the night desk's are: no page shows
them before their time either; --scheduled --name load-night-desk measures that.

Figures go to bench/results/load.json and load.md. The load generator runs on the same machine as gunicorn and
PostgreSQL and competes with them for its cores: the figures are a floor for what the site does on its own.
bench/outage_drill.py reuses the pieces below.
"""

import argparse
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_load"
LOAD_EXTRA_ARTICLES = 120
EDITOR_PASSWORD = "load-test-editor-passphrase"
SEARCH_WORDS = ["حلب", "المياه", "الانتخابات", "مسؤول", "الكهرباء", "دمشق", "مدرسة", "السوق"]
HEADLINE_FIELD = "headline_ar"


# --- The site under test ---------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(database_url, workdir):
    """What gunicorn (and this process's Django) run with: production settings, loopback, no 2FA obligation."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on loopback: no HTTPS redirect, no Secure-only cookies, no HSTS.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        NEWSROOM_REQUIRE_2FA_FOR="",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        NEWSROOM_PAGE_CACHE_STAMP=str(workdir / "page-generation"),
        LOG_LEVEL="ERROR",
    )
    env.pop("REDIS_URL", None)
    return env


def setup_django(env):
    """Configure Django in this process with the environment gunicorn gets, to prepare and check the database."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def create_database(database_url):
    """Drop (if left over) and create the throwaway database, through the server's maintenance database."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    with psycopg.connect(_maintenance_url(parts), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url):
    import psycopg
    from django.db import connections

    connections.close_all()
    parts = urlsplit(database_url)
    with psycopg.connect(_maintenance_url(parts), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def _maintenance_url(parts):
    return parts._replace(scheme="postgresql", path="/postgres").geturl()


def prepare_site(editors, extra_articles=LOAD_EXTRA_ARTICLES, scheduled=False):
    """Migrate, load the demo newsroom and more stories, make the editors and their stories (published an hour ago,
    or with ``scheduled`` due in twelve hours), collect static files. Returns the reader addresses by kind and, for
    each editor, (username, article id, first headline)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from articles.demo import load_demo_content
    from articles.models import Article, ArticleAuthor, Section
    from articles.roles import ROLE_EDITOR, assign_role

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    load_demo_content()
    templates = list(Article.objects.filter(status=Article.Status.PUBLISHED).prefetch_related("tags", "authors"))
    now = timezone.now()

    def copy_story(template, headline, hours_ago, by=None):
        article = Article.objects.create(
            headline_ar=headline, summary_ar=template.summary_ar, body_ar=template.body_ar,
            section=template.section, lead_photo=template.lead_photo, created_by=by, updated_by=by,
        )
        for order, person in enumerate(template.authors.all()):
            ArticleAuthor.objects.create(article=article, person=person, order=order)
        article.tags.add(*template.tags.all())
        article.publish(by=None, at=now - timezone.timedelta(hours=hours_ago))
        return article

    for number in range(extra_articles):
        template = templates[number % len(templates)]
        copy_story(template, f"{template.headline_ar} ({number + 1})", hours_ago=number + 2)
    accounts = []
    for number in range(1, editors + 1):
        user = get_user_model().objects.create_user(username=f"load-editor-{number}", password=EDITOR_PASSWORD)
        assign_role(user, ROLE_EDITOR)
        headline = f"خبر يتابعه المحرر {number}"
        published_hours_ago = -12 if scheduled else 1  # twelve hours ahead when scheduled
        article = copy_story(templates[number % len(templates)], headline, hours_ago=published_hours_ago, by=user)
        accounts.append((user.username, article.pk, headline))

    published = list(Article.objects.filter(status=Article.Status.PUBLISHED).order_by("-published_at")[:80])
    tags = {tag for article in Article.objects.filter(status=Article.Status.PUBLISHED).prefetch_related("tags")
            for tag in article.tags.all()}
    pages = {
        "home": ["/", "/?page=2"],
        "article": [article.get_absolute_url() for article in published],
        "section": [section.get_absolute_url() for section in Section.objects.all()],
        "tag": [tag.get_absolute_url() for tag in tags],
        "search": [f"/search/?q={quote(word)}" for word in SEARCH_WORDS],
        "feed": ["/feed/", "/feed/atom/"],
    }
    return pages, accounts


def prepare_photo_desk(count):
    """Photographers (role «مصور»), each with a photo of their own in the library that no story uses: a row sharing
    a demo photo's files, as a fresh upload would be. Returns, for each, (username, photo id, first caption)."""
    from django.contrib.auth import get_user_model

    from articles.models import Photo
    from articles.roles import ROLE_PHOTOGRAPHER, assign_role

    picture = Photo.objects.exclude(renditions={}).order_by("pk").first()
    accounts = []
    for number in range(1, count + 1):
        user = get_user_model().objects.create_user(username=f"load-photographer-{number}", password=EDITOR_PASSWORD)
        assign_role(user, ROLE_PHOTOGRAPHER)
        caption = f"صورة في المكتبة يشرحها المصور {number}"
        photo = Photo.objects.create(
            image=picture.image.name, width=picture.width, height=picture.height, renditions=picture.renditions,
            source_digest=picture.source_digest, caption_ar=caption, credit_ar=f"عدسة المصور {number}",
            alt_text_ar=picture.alt_text_ar or caption, uploaded_by=user,
        )
        accounts.append((user.username, photo.pk, caption))
    return accounts


def start_gunicorn(env, port, workdir, workers=2):
    log = open(workdir / "gunicorn.log", "w")
    process = subprocess.Popen(  # noqa: S603 - a fixed command line: this virtualenv's own gunicorn
        [str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--worker-class", "sync", "--timeout", "60",
         "--bind", f"127.0.0.1:{port}", "newsroom.wsgi"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: see {workdir / 'gunicorn.log'}")
        try:
            if request(port, "GET", "/")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    stop_gunicorn(process)
    raise RuntimeError("gunicorn did not answer within 60 seconds")


def stop_gunicorn(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- A small HTTP client -----------------------------------------------------------------------------------------


def request(port, method, path, *, body=None, headers=None, cookies=None, timeout=30):
    """(status, headers, body bytes). A new connection per request, as gunicorn's sync workers close each one."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        sent = {"Host": f"127.0.0.1:{port}", "Accept-Encoding": "gzip", **(headers or {})}
        if cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read()
        if cookies is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _sep, rest = header.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, content
    finally:
        connection.close()


class FormFields(HTMLParser):
    """Every value the browser would submit from one <form> (by id): inputs, checked boxes, textareas, selections."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # A newline right after <textarea> belongs to the markup, not the value (as in browsers).
            name, value = self._textarea
            self.fields.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_fields(html, form_id):
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


# --- Readers and editors --------------------------------------------------------------------------------------


class Recorder:
    """Status and latency of every request, by page kind; thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)  # kind -> [(time since start, status, seconds)]
        self.started = time.monotonic()

    def timed(self, kind, port, method, path, **kwargs):
        began = time.monotonic()
        try:
            result = request(port, method, path, **kwargs)
            status = result[0]
        except OSError as error:
            result, status = None, f"error: {type(error).__name__}"
        with self.lock:
            self.samples[kind].append((began - self.started, status, time.monotonic() - began))
        return result


def reader(recorder, port, pages, stop):
    chooser = random.Random()
    kinds = list(pages)
    while not stop.is_set():
        kind = chooser.choice(kinds)
        recorder.timed(kind, port, "GET", chooser.choice(pages[kind]))


class Editor:
    """One editor: logs in through the admin login page, then keeps saving one story's headline through its change
    form."""

    model, field, kinds = "article", HEADLINE_FIELD, ("admin form", "admin save")

    def __init__(self, username, object_id, text, recorder, port, pause):
        self.username, self.object_id, self.base = username, object_id, text
        self.recorder, self.port, self.pause = recorder, port, pause
        self.cookies = {}
        self.attempted = self.succeeded = self.counter = 0
        self.acknowledged = text  # what the server last said it saved
        self.failures = defaultdict(int)

    def log_in(self):
        status, _headers, body = request(self.port, "GET", "/admin/login/", cookies=self.cookies)
        fields = dict(form_fields(_text(body), "login-form"))
        fields.update(username=self.username, password=EDITOR_PASSWORD, next="/admin/")
        status, headers, _body = request(
            self.port, "POST", "/admin/login/?next=/admin/", body=urlencode(fields), cookies=self.cookies,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": self._origin("/admin/login/")},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{self.username} could not log in (HTTP {status})")

    def save_once(self):
        path = f"/admin/articles/{self.model}/{self.object_id}/change/"
        opened, saved = self.kinds
        result = self.recorder.timed(opened, self.port, "GET", path, cookies=self.cookies)
        if result is None or result[0] != 200:
            self.failures[f"form {result[0] if result else 'unreachable'}"] += 1
            return
        fields = [(name, value) for name, value in form_fields(_text(result[2]), f"{self.model}_form")
                  if name != self.field]
        self.counter += 1
        text = f"{self.base} — {self.counter}"
        fields += [(self.field, text), ("_save", "حفظ")]
        self.attempted += 1
        result = self.recorder.timed(
            saved, self.port, "POST", path, body=urlencode(fields), cookies=self.cookies,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": self._origin(path)},
        )
        if result is not None and result[0] == 302:
            self.succeeded += 1
            self.acknowledged = text
        else:
            status = result[0] if result else "unreachable"
            reason = _form_error(_text(result[2])) if result and result[0] == 200 else ""
            self.failures[f"{status} {reason}".strip()] += 1

    def run(self, stop):
        while not stop.is_set():
            self.save_once()
            stop.wait(self.pause)

    def _origin(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def in_database(self):
        from django.apps import apps

        return apps.get_model("articles", self.model).objects.values_list(self.field, flat=True).get(pk=self.object_id)


class PhotoEditor(Editor):
    """One of the photo desk: keeps captioning a photo of the library that no story uses yet, as after an upload."""

    model, field, kinds = "photo", "caption_ar", ("photo form", "photo save")


def _text(body):
    import gzip

    return (gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body).decode("utf-8", "replace")


def _form_error(html):
    found = re.search(r'class="errornote"[^>]*>(.*?)</p>', html, re.DOTALL) or re.search(
        r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.DOTALL)
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip()[:120] if found else "form refused"


# --- Figures ----------------------------------------------------------------------------------------------------


def percentile(values, fraction):
    """Nearest-rank percentile of a list of numbers."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def summarise(samples, seconds):
    kinds = {}
    for kind, rows in sorted(samples.items()):
        latencies = [row[2] * 1000 for row in rows]
        statuses = defaultdict(int)
        for row in rows:
            statuses[str(row[1])] += 1
        kinds[kind] = {
            "requests": len(rows),
            "per_second": round(len(rows) / seconds, 1),
            "statuses": dict(sorted(statuses.items())),
            "p50_ms": round(percentile(latencies, 0.50), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1),
            "p99_ms": round(percentile(latencies, 0.99), 1),
            "max_ms": round(max(latencies), 1),
        }
    return kinds


def machine():
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        # Other work on the machine slows everything down: the 1-minute load average when the figures were taken.
        "load_average": round(os.getloadavg()[0], 2),
        "note": "load generator, gunicorn (2 sync workers) and PostgreSQL share the same cores on loopback",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--editors", type=int, default=5)
    parser.add_argument("--photo-editors", type=int, default=0, help="photographers captioning library photos")
    parser.add_argument("--scheduled", action="store_true", help="the editors' stories are scheduled for later")
    parser.add_argument("--editor-pause", type=float, default=1.0, help="seconds an editor waits between saves")
    parser.add_argument("--name", default="load", help="results file name: bench/results/NAME.json and NAME.md")
    options = parser.parse_args()

    database_url = os.environ.get("LOAD_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"bench/load.py needs a PostgreSQL DATABASE_URL, not {database_url}")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
    env = production_environment(database_url, workdir)
    gunicorn = None
    create_database(database_url)
    try:
        setup_django(env)
        print(f"Preparing {urlsplit(database_url).path.lstrip('/')}: migrate, demo content, editors, static files")
        pages, accounts = prepare_site(options.editors, scheduled=options.scheduled)
        photo_desk = prepare_photo_desk(options.photo_editors)
        from django.db import connections

        connections.close_all()
        port = free_port()
        gunicorn = start_gunicorn(env, port, workdir)
        print(f"gunicorn on 127.0.0.1:{port}; {options.readers} readers, {options.editors} editors and "
              f"{options.photo_editors} photo editors for {options.seconds:g} s")
        report = drive(port, pages, accounts, options, photo_desk)
        report["gunicorn_restarted"] = gunicorn.poll() is not None
        report["command"] = " ".join([".venv/bin/python bench/load.py", *sys.argv[1:]]) if sys.argv[1:] else "make load"
    finally:
        if gunicorn is not None:
            stop_gunicorn(gunicorn)
        drop_database(database_url)
        shutil.rmtree(workdir, ignore_errors=True)
    write_results(report, options.name)
    print(f"Wrote {RESULTS / options.name}.md")
    print(markdown(report))
    failed = report["server_errors"] or report["lost_edits"] or not report["editors_total"]["succeeded"]
    sys.exit(1 if failed else 0)


def drive(port, pages, accounts, options, photo_desk=()):
    recorder = Recorder()
    editors = [Editor(*account, recorder, port, options.editor_pause) for account in accounts]
    editors += [PhotoEditor(*account, recorder, port, options.editor_pause) for account in photo_desk]
    for editor in editors:
        editor.log_in()
    stop = threading.Event()
    threads = [threading.Thread(target=reader, args=(recorder, port, pages, stop)) for _ in range(options.readers)]
    threads += [threading.Thread(target=editor.run, args=(stop,)) for editor in editors]
    recorder.started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(options.seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - recorder.started

    per_editor = []
    for editor in editors:
        held = editor.in_database()
        per_editor.append({
            "username": editor.username,
            "attempted": editor.attempted,
            "succeeded": editor.succeeded,
            "failures": dict(editor.failures),
            "last_acknowledged": editor.acknowledged,
            "in_database": held,
            "lost": held != editor.acknowledged,
        })
    kinds = summarise(recorder.samples, elapsed)
    return {
        "seconds": round(elapsed, 1),
        "readers": options.readers,
        "editors": options.editors,
        "photo_editors": len(photo_desk),
        "editors_stories": "scheduled" if options.scheduled else "published",
        "editor_pause_seconds": options.editor_pause,
        "gunicorn": "2 sync workers, DEBUG off, page cache on (per-process memory cache, no Redis)",
        "machine": machine(),
        "requests": sum(kind["requests"] for kind in kinds.values()),
        "server_errors": sum(count for kind in kinds.values() for status, count in kind["statuses"].items()
                             if status.startswith("5")),
        "connection_errors": sum(count for kind in kinds.values() for status, count in kind["statuses"].items()
                                 if status.startswith("error")),
        "kinds": kinds,
        "editors_total": {
            "attempted": sum(row["attempted"] for row in per_editor),
            "succeeded": sum(row["succeeded"] for row in per_editor),
        },
        "lost_edits": sum(row["lost"] for row in per_editor),
        "per_editor": per_editor,
    }


def markdown(report):
    lines = [
        "# Load test",
        "",
        f"{report['readers']} readers, {report['editors']} editors saving their "
        f"{report['editors_stories']} stories and "
        f"{report['photo_editors']} photo editors captioning library photos for {report['seconds']} s against "
        "gunicorn "
        f"({report['gunicorn']}) on PostgreSQL, loopback. Machine: {report['machine']['cpus']} cores, Python "
        f"{report['machine']['python']}, load average {report['machine']['load_average']} at the end; "
        f"{report['machine']['note']}, so these figures are a floor.",
        f"Written by `{report['command']}` (bench/load.py).",
        "",
        f"- requests: {report['requests']} ({report['requests'] / report['seconds']:.0f}/s)",
        f"- 5xx answers: **{report['server_errors']}**; connection errors: {report['connection_errors']}",
        f"- saves: {report['editors_total']['succeeded']} acknowledged of "
        f"{report['editors_total']['attempted']} attempted (one every {report['editor_pause_seconds']:g} s "
        "at most per editor, each after a fresh GET of the form)",
        f"- lost edits: **{report['lost_edits']}** (last acknowledged headline or caption ≠ database, per editor)",
        f"- app restarted during the run: {'yes' if report['gunicorn_restarted'] else 'no'}",
        "",
        "| kind | requests | per s | statuses | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for kind, row in report["kinds"].items():
        statuses = ", ".join(f"{status}: {count}" for status, count in row["statuses"].items())
        lines.append(f"| {kind} | {row['requests']} | {row['per_second']} | {statuses} | {row['p50_ms']} | "
                     f"{row['p95_ms']} | {row['p99_ms']} | {row['max_ms']} |")
    lines += ["", "| editor | attempted | acknowledged | refused | last acknowledged = database |",
              "|---|---:|---:|---|---|"]
    for row in report["per_editor"]:
        refused = ", ".join(f"{reason}: {count}" for reason, count in row["failures"].items()) or "—"
        lines.append(f"| {row['username']} | {row['attempted']} | {row['succeeded']} | {refused} | "
                     f"{'no: LOST' if row['lost'] else 'yes'} |")
    return "\n".join(lines) + "\n"


def write_results(report, name="load"):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown(report))


if __name__ == "__main__":
    main()
