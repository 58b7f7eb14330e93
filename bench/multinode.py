"""Multi-node check: two app servers sharing one PostgreSQL and one Redis behave as one site.

    make multinode
    .venv/bin/python bench/multinode.py

Creates a throwaway PostgreSQL database (MULTINODE_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/newsroom_multinode; dropped at the end, so it must be a name nothing else uses)
and starts a Redis server of its own (Debian's redis-server, a free port on 127.0.0.1, nothing written to disk).
The site is prepared as bench/load.py does (migrate, demo content, one editor and their story, static files), then
two gunicorn nodes, A and B, 2 sync workers each with production settings, start on two free ports with the same
DATABASE_URL, REDIS_URL and SECRET_KEY. Each node gets its own page-generation stamp file, so the only thing they
can agree through is Redis. Everything stays on loopback.

Checks, each PASS or FAIL, written to bench/results/multinode.md:

1. Shared cache invalidation: node B's article and home pages are cached in Redis (their page-cache keys are
   there after the first request, and the second answers the same page); the editor saves a new headline through
   node A's admin change form; node B's article and home pages show it on the very next request.
2. Sessions: the session cookie from logging in on node A opens the admin on node B.
3. publish_scheduled exactly once: 20 stories scheduled in the past, still marked scheduled; the command runs
   on both nodes at the same instant (each process waits for one agreed moment before it starts, as cron on two
   servers would); each story must end published with exactly one «published» audit entry.

The exit status is non-zero when any check fails.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402 - bench/load.py, beside this file

RESULTS = load.RESULTS
ROOT = load.ROOT
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_multinode"
SCHEDULED_STORIES = 20


class Redis:
    """A throwaway Redis server: a free port on 127.0.0.1, no snapshot, no append-only file."""

    def __init__(self, binary, workdir):
        self.binary = binary
        self.dir = workdir / "redis"
        self.dir.mkdir()
        self.port = load.free_port()
        self.pidfile = self.dir / "redis.pid"
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        subprocess.run(  # noqa: S603 - redis-server with fixed arguments
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir), "--daemonize", "yes", "--pidfile", str(self.pidfile),
             "--logfile", str(self.dir / "redis.log")],
            check=True, capture_output=True,
        )
        client = self.client()
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not answer: see {self.dir / 'redis.log'}") from None
                time.sleep(0.1)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)

    def stop(self):
        """Stop the server this run started (by the process id it wrote), and nothing else."""
        try:
            pid = int(self.pidfile.read_text())
        except (FileNotFoundError, ValueError):
            return
        try:
            os.kill(pid, 15)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(pid, 9)


def node_environment(shared, workdir, name):
    """One node's environment: the shared settings, plus a stamp file of its own (unused with Redis; kept apart
    so that the nodes cannot agree through it)."""
    node_dir = workdir / name
    node_dir.mkdir()
    return node_dir, {**shared, "NEWSROOM_PAGE_CACHE_STAMP": str(node_dir / "page-generation")}


def page_cached(redis_client, port, path):
    """Whether Redis holds a cached copy of this node's page (page_cache.page_key: hash of the full address)."""
    address = hashlib.sha256(f"http://127.0.0.1:{port}{path}".encode()).hexdigest()
    return bool(redis_client.keys(f"*page-cache:page:*:{address}"))


def get_text(port, path, cookies=None):
    status, headers, body = load.request(port, "GET", path, cookies=cookies)
    return status, headers, load._text(body)


# --- The checks ---------------------------------------------------------------------------------------------------


def check_cache_invalidation(port_a, port_b, redis_client, account, recorder):
    from articles.models import Article

    username, article_id, headline = account
    article_path = Article.objects.get(pk=article_id).get_absolute_url()
    pages = {"article": article_path, "home": "/"}
    lines, passed = [], True

    for kind, path in pages.items():
        first = get_text(port_b, path)
        stored = page_cached(redis_client, port_b, path)
        second = get_text(port_b, path)
        same = first[0] == second[0] == 200 and first[2] == second[2]
        shows = headline in second[2]
        ok = stored and same and shows
        passed &= ok
        lines.append(f"node B {kind} {path}: HTTP {first[0]}, then {second[0]}; cached in Redis: "
                     f"{'yes' if stored else 'NO'}; second answer identical: {'yes' if same else 'NO'}; "
                     f"shows the headline: {'yes' if shows else 'NO'}")
    lines.append(f"page-cache keys in Redis before the edit: {len(redis_client.keys('*page-cache:*'))}")

    editor = load.Editor(username, article_id, headline, recorder, port_a, pause=0)
    editor.log_in()
    editor.save_once()
    saved = editor.succeeded == 1
    passed &= saved
    lines.append(f"editor {username} saved «{editor.acknowledged}» through node A's change form: "
                 f"{'yes (302)' if saved else 'NO: ' + ', '.join(editor.failures)}")

    for kind, path in pages.items():
        status, _headers, html = get_text(port_b, path)
        fresh = status == 200 and editor.acknowledged in html
        passed &= fresh
        lines.append(f"node B {kind} on the very next request: HTTP {status}, new headline "
                     f"{'shown' if fresh else 'NOT shown'}")
    return passed, lines, editor


def check_sessions(port_b, editor):
    cookies = dict(editor.cookies)
    status, headers, html = get_text(port_b, "/admin/", cookies=cookies)
    anonymous_status, anonymous_headers, _html = get_text(port_b, "/admin/")
    admin_shown = status == 200 and 'id="logout-form"' in html
    # The control: without the cookie node B sends the visitor to its login page.
    control = anonymous_status == 302 and "/admin/login/" in (anonymous_headers.get("Location") or "")
    lines = [
        f"GET /admin/ on node B with node A's session cookie: HTTP {status}"
        + (f" → {headers.get('Location')}" if status in (301, 302) else "")
        + f"; admin with logout form: {'yes' if admin_shown else 'NO'}",
        f"control, GET /admin/ on node B without it: HTTP {anonymous_status} → {anonymous_headers.get('Location')}",
    ]
    return admin_shown and control, lines


def schedule_stories(count):
    """``count`` stories scheduled in the past whose status still says scheduled: publish_scheduled's work."""
    from django.utils import timezone

    from articles.models import Article

    template = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    now = timezone.now()
    return [
        Article.objects.create(
            headline_ar=f"خبر مجدول {number}", summary_ar=template.summary_ar, body_ar=template.body_ar,
            section=template.section, lead_photo=template.lead_photo, status=Article.Status.SCHEDULED,
            published_at=now - timezone.timedelta(minutes=number + 1),
        ).pk
        for number in range(1, count + 1)
    ]


def check_publish_once(env_a, env_b):
    from django.db import connections

    from articles.audit import AuditEntry
    from articles.models import Article

    ids = schedule_stories(SCHEDULED_STORIES)
    connections.close_all()
    # Django takes a second or two to start: both processes wait for the same moment, then run the command.
    start_at = time.time() + 8
    # Each process notes, in milliseconds from that moment, when its run started and ended: the overlap shows
    # the two really ran at once.
    code = (
        f"import time; t0 = {start_at!r}; time.sleep(max(0, t0 - time.time())); began = time.time(); "
        "from django.core.management import call_command; call_command('publish_scheduled'); "
        "print(f'ran from +{(began - t0) * 1000:.0f} ms to +{(time.time() - t0) * 1000:.0f} ms')"
    )
    runs = {}
    for name, env in (("A", env_a), ("B", env_b)):
        runs[name] = subprocess.Popen(  # noqa: S603 - this virtualenv's Python and the project's manage.py
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
    outputs = {name: " ".join(run.communicate(timeout=120)[0].split()) for name, run in runs.items()}
    codes = {name: run.returncode for name, run in runs.items()}

    published = set(Article.objects.filter(pk__in=ids, status=Article.Status.PUBLISHED).values_list("pk", flat=True))
    entries = {pk: 0 for pk in ids}
    for target_id in AuditEntry.objects.filter(
        action=AuditEntry.Action.PUBLISHED, target_id__in=[str(pk) for pk in ids]
    ).values_list("target_id", flat=True):
        entries[int(target_id)] += 1
    twice = [pk for pk, count in entries.items() if count > 1]
    never = [pk for pk, count in entries.items() if count == 0]
    ok = not any(codes.values()) and len(published) == len(ids) and not twice and not never
    lines = [f"node {name}'s publish_scheduled (exit {codes[name]}): {outputs[name] or '(no output)'}"
             for name in runs]
    lines += [
        f"{len(published)} of {len(ids)} stories published; «published» audit entries per story: "
        f"exactly one for {sum(count == 1 for count in entries.values())}, more than one for {len(twice)}, "
        f"none for {len(never)}",
    ]
    return ok, lines


# --- The run ------------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args()
    database_url = os.environ.get("MULTINODE_DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"bench/multinode.py needs a PostgreSQL MULTINODE_DATABASE_URL, not {database_url}")
    redis_binary = shutil.which("redis-server")
    if not redis_binary:
        sys.exit(
            "bench/multinode.py needs Debian's redis-server to start a Redis of its own:\n"
            "  sudo apt-get install redis-server   (Fedora: sudo dnf install redis; macOS: brew install redis)"
        )
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-multinode-"))
    redis_server = Redis(redis_binary, workdir)
    nodes, results = [], []
    database_created = False
    try:
        redis_server.start()
        load.create_database(database_url)
        database_created = True
        # One environment for both nodes: same database, Redis and SECRET_KEY (sessions are signed with it).
        shared = load.production_environment(database_url, workdir)
        shared["REDIS_URL"] = redis_server.url
        dir_a, env_a = node_environment(shared, workdir, "a")
        dir_b, env_b = node_environment(shared, workdir, "b")
        load.setup_django(env_a)
        print(f"Redis on 127.0.0.1:{redis_server.port}; preparing {urlsplit(database_url).path.lstrip('/')}: "
              "migrate, demo content, an editor, static files")
        _pages, accounts = load.prepare_site(editors=1, extra_articles=0)
        from django.db import connections

        connections.close_all()
        port_a, port_b = load.free_port(), load.free_port()
        nodes.append(load.start_gunicorn(env_a, port_a, dir_a))
        nodes.append(load.start_gunicorn(env_b, port_b, dir_b))
        print(f"node A on 127.0.0.1:{port_a}, node B on 127.0.0.1:{port_b}")

        recorder = load.Recorder()
        redis_client = redis_server.client()
        passed, lines, editor = check_cache_invalidation(port_a, port_b, redis_client, accounts[0], recorder)
        results.append(("An edit saved on node A shows at once on node B (shared cache invalidation)", passed, lines))
        passed, lines = check_sessions(port_b, editor)
        results.append(("A session started on node A is valid on node B", passed, lines))
        passed, lines = check_publish_once(env_a, env_b)
        results.append((f"publish_scheduled on both nodes at once publishes each of {SCHEDULED_STORIES} due "
                        "stories exactly once", passed, lines))
    finally:
        for node in nodes:
            load.stop_gunicorn(node)
        if database_created:
            load.drop_database(database_url)
        redis_server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    report = markdown(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "multinode.md").write_text(report)
    print(report)
    print(f"Wrote {RESULTS / 'multinode.md'}")
    sys.exit(0 if all(passed for _title, passed, _lines in results) else 1)


def markdown(results):
    out = [
        "# Multi-node check",
        "",
        "Two gunicorn nodes (2 sync workers each, production settings) on loopback, sharing one PostgreSQL "
        "database and one Redis server started for the run. Written by `make multinode` (bench/multinode.py).",
        "",
    ]
    for title, passed, lines in results:
        out.append(f"- **{'PASS' if passed else 'FAIL'}** {title}")
        out += [f"  - {line}" for line in lines]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
