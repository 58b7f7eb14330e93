"""Outage drill: PostgreSQL stopped for about ten seconds under load, then started again; the site must answer its
short 503 page meanwhile (never a 500), recover by itself, and hold no half-written article.

    make drill
    .venv/bin/python bench/outage_drill.py --outage 10 --readers 10

Starts a PostgreSQL server of its own (initdb in a temporary folder, a free port on 127.0.0.1; run as root, the
server runs as the postgres user, as in .ci/run), prepares the site on it (bench/load.py: demo content, an editor,
static files) and starts gunicorn with 2 workers and persistent connections (DB_CONN_MAX_AGE=60), the harder case:
each worker holds a connection that the restart breaks. Readers fetch public pages and an editor keeps saving a
story through the admin while `pg_ctl stop -m fast` takes the database away and `pg_ctl start` brings it back.

Recorded in bench/results/outage-drill.md: every answer during the outage by status, the time from the restart to
the first page and the first save that needed the database, whether gunicorn or a worker restarted, and whether
every article is whole: its newest revision holds its headline, and the editor's story gained exactly one version
and one revision per save, its last acknowledged headline being what the database holds.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402 - bench/load.py, beside this file

RESULTS = load.RESULTS


class Postgres:
    """A throwaway PostgreSQL server: its own data folder, port and socket folder, trust authentication."""

    def __init__(self):
        self.bin = self._find_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="newsroom-drill-pg."))
        self.port = load.free_port()
        self.as_postgres = []
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root.
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        self.dir.chmod(0o700)

    @staticmethod
    def _find_bin():
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
        if not versions:
            sys.exit("No PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql).")
        return versions[-1].parent

    def run(self, *command):
        subprocess.run(  # noqa: S603 - PostgreSQL's own tools, fixed arguments
            [*self.as_postgres, str(self.bin / command[0]), *command[1:]], check=True, capture_output=True,
        )

    def init(self):
        self.run("initdb", f"--pgdata={self.dir / 'data'}", "--username=postgres", "--auth=trust",
                 "--encoding=UTF8", "--locale=C.UTF-8")
        with open(self.dir / "data" / "postgresql.conf", "a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\n"
                       f"unix_socket_directories = '{self.dir}'\n")
        self.start()
        self.run("createdb", "--host=127.0.0.1", f"--port={self.port}", "--username=postgres", "newsroom")
        return f"postgres://postgres@127.0.0.1:{self.port}/newsroom"

    def start(self):
        self.run("pg_ctl", f"--pgdata={self.dir / 'data'}", f"--log={self.dir / 'server.log'}", "--wait", "start")

    def stop(self):
        self.run("pg_ctl", f"--pgdata={self.dir / 'data'}", "--mode=fast", "--wait", "stop")

    def remove(self):
        if (self.dir / "data" / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def worker_pids(master):
    """gunicorn's worker processes: a worker that crashed and was replaced would show as a new pid."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    return sorted(int(pid) for pid in children.read_text().split()) if children.exists() else []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=10, help="seconds PostgreSQL stays stopped")
    parser.add_argument("--before", type=float, default=8, help="seconds of load before the stop")
    parser.add_argument("--after", type=float, default=15, help="seconds of load after the restart")
    parser.add_argument("--readers", type=int, default=10)
    options = parser.parse_args()

    postgres = Postgres()
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-drill-"))
    gunicorn = None
    try:
        database_url = postgres.init()
        env = load.production_environment(database_url, workdir)
        env["DB_CONN_MAX_AGE"] = "60"
        load.setup_django(env)
        print(f"PostgreSQL on 127.0.0.1:{postgres.port}; preparing the site")
        pages, accounts = load.prepare_site(editors=1, extra_articles=20)
        from django.db import connections

        connections.close_all()
        port = load.free_port()
        gunicorn = load.start_gunicorn(env, port, workdir)
        report = drill(postgres, gunicorn, port, pages, accounts[0], options)
    finally:
        if gunicorn is not None:
            load.stop_gunicorn(gunicorn)
        from django.db import connections

        connections.close_all()
        postgres.remove()
        shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "outage-drill.md").write_text(report["markdown"])
    print(report["markdown"])
    sys.exit(0 if report["passed"] else 1)


def drill(postgres, gunicorn, port, pages, account, options):
    from django.db import connections

    article_id = account[1]
    workers_before = worker_pids(gunicorn)
    recorder = load.Recorder()
    editor = load.Editor(*account, recorder, port, pause=0.3)
    editor.log_in()
    # The story's first save through the admin also records the state it had before as a revision; counted from
    # after it, each save adds exactly one version and one revision.
    editor.save_once()
    before = article_state(article_id)
    connections.close_all()
    editor.attempted = editor.succeeded = 0
    stop = threading.Event()
    threads = [threading.Thread(target=load.reader, args=(recorder, port, pages, stop)) for _ in range(options.readers)]
    threads.append(threading.Thread(target=editor.run, args=(stop,)))
    recorder.started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(options.before)
    stopping = time.monotonic() - recorder.started
    postgres.stop()
    stopped = time.monotonic() - recorder.started
    print(f"PostgreSQL stopped at {stopped:.1f} s")
    time.sleep(options.outage / 2)
    probe = outage_page(port)
    time.sleep(options.outage / 2)
    restarting = time.monotonic() - recorder.started
    postgres.start()
    restarted = time.monotonic() - recorder.started
    print(f"PostgreSQL running again at {restarted:.1f} s")
    time.sleep(options.after)
    stop.set()
    for thread in threads:
        thread.join()

    # Answers by the time their request was sent: while PostgreSQL was down (stop done, start not yet begun) and
    # from the restart on.
    during, after = defaultdict(int), defaultdict(int)
    first_ok, last_503 = {}, restarting
    for kind, rows in recorder.samples.items():
        for sent, status, _seconds in rows:
            if stopped <= sent < restarting:
                during[str(status)] += 1
            elif sent >= restarting:
                after[str(status)] += 1
                if status == 503:
                    last_503 = max(last_503, sent)
                # The admin's answers (the form, the save) always need the database: a 200 or 302 is recovery.
                if kind.startswith("admin") and status in (200, 302):
                    first_ok[kind] = min(first_ok.get(kind, sent), sent)
    recovery = min(first_ok.values(), default=None)
    recovery = None if recovery is None else max(0.0, recovery - restarted)

    after_state = article_state(article_id)
    workers_after = worker_pids(gunicorn)
    whole = every_article_whole()
    saved_versions = after_state["version"] - before["version"]
    saved_revisions = after_state["revisions"] - before["revisions"]
    consistent = (
        saved_versions == saved_revisions
        and saved_revisions >= editor.succeeded
        and after_state["headline"] == editor.acknowledged
        and not whole["mismatched"]
    )
    server_errors = sum(count for status, count in during.items() if status.startswith("50") and status != "503")
    server_errors += sum(count for status, count in after.items() if status.startswith("50") and status != "503")
    restarted_app = gunicorn.poll() is not None or workers_before != workers_after
    passed = (probe["ok"] and server_errors == 0 and during.get("503", 0) > 0 and recovery is not None and consistent
              and not restarted_app)

    statuses = lambda counts: ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "none"  # noqa: E731
    lines = [
        "# Outage drill: PostgreSQL stopped and restarted under load",
        "",
        f"Written by `make drill` (bench/outage_drill.py). gunicorn with 2 sync workers, production settings, "
        f"persistent connections (DB_CONN_MAX_AGE=60, CONN_HEALTH_CHECKS on), {options.readers} readers and "
        f"1 editor saving every 0.3 s, on a {os.cpu_count()}-core machine (load average "
        f"{os.getloadavg()[0]:.1f}) shared with the load generator.",
        "",
        f"- `pg_ctl stop -m fast` at {stopping:.1f} s (done at {stopped:.1f} s); `pg_ctl start` at "
        f"{restarting:.1f} s (accepting connections at {restarted:.1f} s): {restarting - stopped:.1f} s without "
        "a database",
        f"- answers to requests sent while PostgreSQL was down: {statuses(during)}"
        + (" (the 200s: public pages the page cache held)" if during.get("200") else ""),
        f"- answers to requests sent from the restart on: {statuses(after)}",
        f"- 500s (or any 5xx but 503) at any time: **{server_errors}**",
        f"- one uncached page fetched mid-outage (`/search/?q=…`): {probe['summary']}",
        "- time from PostgreSQL accepting connections again to the first admin page or save answered: "
        + (f"**{recovery:.2f} s**" if recovery is not None else "**never**"),
        f"- the last 503 was for a request sent {last_503 - restarted:+.2f} s from PostgreSQL accepting connections "
        "(negative: sent while it was still starting)",
        f"- app restarted: {'yes' if restarted_app else 'no'} (gunicorn master still running, worker pids "
        f"{workers_before} before, {workers_after} after)",
        f"- editor: {editor.attempted} saves attempted, {editor.succeeded} acknowledged (302); refused: "
        + (", ".join(f"{reason}: {n}" for reason, n in sorted(editor.failures.items())) or "none"),
        f"- the editor's story: version {before['version']} → {after_state['version']} (+{saved_versions}), "
        f"revisions {before['revisions']} → {after_state['revisions']} (+{saved_revisions}); last acknowledged "
        f"headline = database: {'yes' if after_state['headline'] == editor.acknowledged else 'NO'}",
        f"- every article whole: {whole['checked']} articles with revisions, newest revision's headline = the row's "
        f"in {whole['checked'] - len(whole['mismatched'])}"
        + (f"; mismatched: {whole['mismatched']}" if whole["mismatched"] else ""),
        "",
        f"Result: **{'passed' if passed else 'FAILED'}**",
    ]
    return {"passed": passed, "markdown": "\n".join(lines) + "\n"}


def outage_page(port):
    """What a reader gets while the database is down: the short Arabic 503 page, asked to come back later."""
    status, headers, body = load.request(port, "GET", "/search/?q=%D8%AD%D9%84%D8%A8")
    html = load._text(body)
    ok = (status == 503 and headers.get("Retry-After") == "30" and '<html lang="ar" dir="rtl">' in html
          and "Traceback" not in html)
    title = html.partition("<title>")[2].partition("</title>")[0]
    return {"ok": ok, "summary": f"HTTP {status}, Retry-After: {headers.get('Retry-After')}, "
                                 f"{len(body)} bytes, title «{title}», traceback: "
                                 f"{'yes' if 'Traceback' in html else 'no'}"}


def article_state(article_id):
    from reversion.models import Version

    from articles.models import Article

    article = Article.objects.get(pk=article_id)
    return {
        "headline": article.headline_ar,
        "version": article.version,
        "revisions": Version.objects.get_for_object(article).count(),
    }


def every_article_whole():
    """Each save writes the row and its revision in one transaction: the newest revision must hold the row's
    headline. A save cut in half by the outage would leave them apart."""
    from reversion.models import Version

    from articles.models import Article

    checked, mismatched = 0, []
    for article in Article.objects.all():
        newest = Version.objects.get_for_object(article).first()
        if newest is None:
            continue
        checked += 1
        if newest.field_dict.get("headline_ar") != article.headline_ar:
            mismatched.append(article.pk)
    return {"checked": checked, "mismatched": mismatched}


if __name__ == "__main__":
    main()
