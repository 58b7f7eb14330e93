"""Requests per second under gunicorn (2 sync workers, loopback) driven by wrk, compared in the same run with two
bare reference views served by the same gunicorn.

    make bench
    .venv/bin/python bench/throughput.py                 (BENCH_THROUGHPUT_SIZE=1000 for a quick run)

A throwaway PostgreSQL database (BENCH_THROUGHPUT_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/newsroom_bench_throughput; created and dropped, so a name nothing else uses)
gets BENCH_THROUGHPUT_SIZE articles (default: the largest of BENCH_SIZES) from ``manage.py generate_articles``.
One real article page is rendered in process at the start and written, as it is, as the template of
/bench/static/ (bench/urls.py, bench/settings.py); /bench/fixed/ answers a short string. Neither reads the
database (checked before the run) and both are marked private, so the page cache never keeps them. A third,
/bench/static-after-query/<id>/, renders the static template after exactly one query (the story's own row, as
the article page reads it first), rotating over the same stories: the floor of any page that reads the database.

gunicorn then runs twice with production settings: page cache on (the default: each worker's memory cache and
the stamp file, or Redis when REDIS_URL is set), and page cache off (NEWSROOM_PAGE_CACHE_SECONDS=0). In each
run wrk (-t1, BENCH_WRK_CONNECTIONS connections, BENCH_WRK_SECONDS seconds after a BENCH_WRK_WARMUP-second
warm-up) drives, one after the other: the fixed string, the static template, the static template after one
query, the article page (a Lua script picks each request's address from BENCH_ROTATION published stories) and
the home page. wrk asks for no compression, so every view sends plain HTML. The ratios the issue sets targets
for: cached article / fixed string >= 0.70, uncached article / static template >= 0.30 (home page likewise).

Figures are merged into bench/results/latest.json under "throughput" and latest.md is rendered again
(bench/pages.py). wrk, gunicorn and PostgreSQL share the machine's cores: compare ratios, not absolutes.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402 - bench/load.py: gunicorn start and stop, free ports, a small HTTP client
import pages  # noqa: E402 - bench/pages.py: archives, results, Markdown

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench_throughput"
WRK = "/usr/bin/wrk"
TARGETS = ["fixed", "static", "static_after_query", "article", "home"]

LUA = """
local paths = {%(paths)s}
math.randomseed(%(seed)d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"status_errors\\": %%d, \\"connect_errors\\": %%d, "
    .. "\\"read_errors\\": %%d, \\"write_errors\\": %%d, \\"timeouts\\": %%d, \\"p50_us\\": %%d, \\"p90_us\\": %%d}\\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(90)))
end
"""


def find_wrk():
    """wrk's path, installing Debian's package as the Makefile's gettext target does; (None, why) if neither."""
    found = shutil.which("wrk") or (WRK if os.path.exists(WRK) else None)
    if found:
        return found, None
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing; installing it with apt-get", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)  # noqa: S607
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, env=env)  # noqa: S607
        found = shutil.which("wrk")
        if found:
            return found, None
    return None, ("wrk not found. Install it: Debian/Ubuntu `sudo apt-get install wrk`, Fedora `sudo dnf install "
                  "wrk`, macOS `brew install wrk`")


def prepare(env, workdir, rotation):
    """In this process, on the archive: write the static template from a real article page, check the two bare
    reference views read no database and the third exactly one query, and return the addresses to drive."""
    import random

    pages.setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    client = Client(HTTP_HOST="127.0.0.1")
    ids = list(Article.objects.for_readers().values_list("pk", flat=True))
    chosen = random.Random(4).sample(ids, min(rotation, len(ids)))
    stories = Article.objects.filter(pk__in=chosen)
    addresses = [quote(story.get_absolute_url(), safe="/%") for story in stories]
    html = client.get(addresses[0]).content.decode()
    template = workdir / "templates" / "bench" / "article-sized.html"
    template.parent.mkdir(parents=True)
    # Verbatim: whatever the page holds ({{ in a headline, say) is sent as it is, never read as template syntax.
    template.write_text("{% verbatim %}" + html + "{% endverbatim %}")
    checks = {}
    for name, address in {"fixed": "/bench/fixed/", "static": "/bench/static/"}.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        checks[name] = {"status": response.status_code, "queries": len(queries), "bytes": len(response.content),
                        "cache_control": response.get("Cache-Control")}
        if response.status_code != 200 or len(queries):
            raise RuntimeError(f"reference view {address} answered {response.status_code} with {len(queries)} "
                               "queries: it must answer 200 with none")
    checks["article"] = {"bytes": len(html.encode())}
    after_query = [f"/bench/static-after-query/{pk}/" for pk in chosen]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(after_query[0])
    if response.status_code != 200 or len(queries) != 1:
        raise RuntimeError(f"{after_query[0]} answered {response.status_code} with {len(queries)} queries: it must "
                           "answer 200 with one")
    connection.close()
    return {"article": addresses, "home": ["/"], "fixed": ["/bench/fixed/"], "static": ["/bench/static/"],
            "static_after_query": after_query}, checks


def lua_script(paths, workdir, name):
    script = workdir / f"{name}.lua"
    listed = ", ".join('"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' for path in paths)
    script.write_text(LUA % {"paths": listed, "seed": 8})
    return script


def drive(wrk, port, script, seconds, connections):
    completed = subprocess.run(  # noqa: S603 - wrk with fixed arguments against our own loopback server
        [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
         f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    )
    line = next(line for line in completed.stdout.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line.removeprefix("BENCH "))
    figures["per_second"] = round(figures["requests"] / (figures["duration_us"] / 1e6), 1)
    figures["errors"] = sum(figures[key] for key in
                            ("status_errors", "connect_errors", "read_errors", "write_errors", "timeouts"))
    figures["p50_ms"] = round(figures.pop("p50_us") / 1000, 2)
    figures["p90_ms"] = round(figures.pop("p90_us") / 1000, 2)
    return figures


def prime(port, paths, rounds=3, threads=4):
    """Ask for every address several times over a few concurrent connections, so that with the cache on each
    gunicorn worker (each keeps its own memory cache unless REDIS_URL is set) holds every rotated page before
    the measurement: a random rotation alone takes minutes to fill both."""
    import threading

    def fetch(offset):
        for number in range(len(paths) * rounds):
            load.request(port, "GET", paths[(number + offset) % len(paths)], headers={"Accept-Encoding": "identity"})

    workers = [threading.Thread(target=fetch, args=(offset * len(paths) // threads,)) for offset in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def warm_up(wrk, port, script, options, most=10):
    """Drive until the rate stops rising (at least two short runs)."""
    rate = drive(wrk, port, script, options["warmup"], options["connections"])["per_second"]
    for _pass in range(most):
        previous, rate = rate, drive(wrk, port, script, options["warmup"], options["connections"])["per_second"]
        if rate < previous * 1.1:
            return


def run_mode(mode, env, workdir, addresses, wrk, options):
    """One gunicorn, page cache on or off; every target driven in turn. Returns {target: figures}."""
    port = load.free_port()
    gunicorn = load.start_gunicorn(env, port, workdir)
    rows = {}
    try:
        for target in TARGETS:
            script = lua_script(addresses[target], workdir, f"{mode}-{target}")
            if mode == "cached" and len(addresses[target]) > 1:
                prime(port, addresses[target])
            warm_up(wrk, port, script, options)
            rows[target] = drive(wrk, port, script, options["seconds"], options["connections"])
            print(f"[{mode}] {target}: {rows[target]['per_second']} requests/s "
                  f"({rows[target]['errors']} errors)", flush=True)
        rows["gunicorn_restarted"] = gunicorn.poll() is not None
    finally:
        load.stop_gunicorn(gunicorn)
    return rows


def ratios(runs):
    def ratio(a, b):
        return round(a["per_second"] / b["per_second"], 3) if b["per_second"] else None

    cached, uncached = runs["cached"], runs["uncached"]
    return {
        "cached article / fixed": ratio(cached["article"], cached["fixed"]),
        "uncached article / static": ratio(uncached["article"], uncached["static"]),
        "cached home / fixed": ratio(cached["home"], cached["fixed"]),
        "uncached home / static": ratio(uncached["home"], uncached["static"]),
        # No target: how far below the static template a page falls as soon as it makes a single query.
        "static after one query / static": ratio(uncached["static_after_query"], uncached["static"]),
    }


def main():
    size = int(os.environ.get("BENCH_THROUGHPUT_SIZE") or pages.sizes()[-1])
    database_url = os.environ.get("BENCH_THROUGHPUT_DATABASE_URL") or DEFAULT_DATABASE_URL
    options = {
        "seconds": int(os.environ.get("BENCH_WRK_SECONDS", "12")),
        "warmup": int(os.environ.get("BENCH_WRK_WARMUP", "3")),
        "connections": int(os.environ.get("BENCH_WRK_CONNECTIONS", "4")),
        "rotation": int(os.environ.get("BENCH_ROTATION", "200")),
    }
    figures = {
        "machine": pages.machine(database_url), "size": size, "database": database_url, **options,
        "gunicorn": "2 sync workers, production settings (DEBUG off, DB_CONN_MAX_AGE="
                    f"{os.environ.get('BENCH_CONN_MAX_AGE', '60')}), 127.0.0.1",
        "cache": "Redis (REDIS_URL)" if os.environ.get("REDIS_URL") else "per-worker memory cache + stamp file",
    }
    wrk, missing = find_wrk()
    unreachable = pages.postgres_reachable(database_url)
    if missing or unreachable:
        figures["unavailable"] = missing or f"PostgreSQL at {database_url} could not be reached: {unreachable}"
        print(f"Throughput not measured: {figures['unavailable']}")
        pages.write_results("throughput", figures)
        return
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-throughput-"))
    env = pages.environment(database_url, workdir, DJANGO_SETTINGS_MODULE="bench.settings",
                            BENCH_TEMPLATE_DIR=str(workdir / "templates"))
    started = time.monotonic()
    load.create_database(database_url)
    try:
        print(f"Preparing {urlsplit(database_url).path.lstrip('/')}: migrate, {size:,} articles, static files",
              flush=True)
        pages.prepare_database(env)
        figures["generation_seconds"] = pages.grow(env, 0, size, 1)
        os.environ.update(env)
        addresses, figures["reference_checks"] = prepare(env, workdir, options["rotation"])
        figures["article_addresses"] = len(addresses["article"])
        runs = {}
        for mode, seconds in (("cached", os.environ.get("BENCH_CACHE_SECONDS", "300")), ("uncached", "0")):
            mode_env = {**env, "NEWSROOM_PAGE_CACHE_SECONDS": seconds}
            if mode == "cached" and os.environ.get("REDIS_URL"):
                mode_env["REDIS_URL"] = os.environ["REDIS_URL"]
            runs[mode] = run_mode(mode, mode_env, workdir, addresses, wrk, options)
        figures["runs"] = runs
        figures["ratios"] = ratios(runs)
    finally:
        load.drop_database(database_url)
        shutil.rmtree(workdir, ignore_errors=True)
    figures["run_seconds"] = round(time.monotonic() - started)
    figures["machine"]["load_average_end"] = round(os.getloadavg()[0], 2)
    pages.write_results("throughput", figures)
    print(f"Wrote {pages.RESULTS / 'latest.json'} and {pages.RESULTS / 'latest.md'}")
    print("\n".join(markdown_lines(figures)))


def markdown_lines(part):
    lines = ["## Throughput under gunicorn (wrk)", ""]
    if "unavailable" in part:
        return lines + [f"Not measured: {part['unavailable']}.", ""]
    checks = part["reference_checks"]
    lines += [
        f"{part['gunicorn']}; PostgreSQL with {part['size']:,} articles; wrk -t1 -c{part['connections']} for "
        f"{part['seconds']} s after a warm-up ({part['warmup']} s runs until the rate stops rising), no compression "
        f"asked. The article rotates over "
        f"{part['article_addresses']} published stories. Cached: {part['cache']}; uncached: "
        f"NEWSROOM_PAGE_CACHE_SECONDS=0. Static template: {checks['static']['bytes']:,} bytes (the article page: "
        f"{checks['article']['bytes']:,}), 0 queries; fixed string: {checks['fixed']['bytes']} bytes, 0 queries. "
        f"Load average {part['machine']['load_average']} at the start, {part['machine'].get('load_average_end')} "
        "at the end; wrk, gunicorn and PostgreSQL share the cores.",
        "",
        "| view | cached: req/s | p50 ms | errors | uncached: req/s | p50 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    names = {"fixed": "fixed string (/bench/fixed/)", "static": "static template (/bench/static/)",
             "static_after_query": "static template after one query (/bench/static-after-query/‹id›/)",
             "article": "article", "home": "home"}
    for target in TARGETS:
        if target not in part["runs"]["cached"]:
            continue  # a run from before the reference was added
        cached, uncached = part["runs"]["cached"][target], part["runs"]["uncached"][target]
        lines.append(f"| {names[target]} | {cached['per_second']} | {cached['p50_ms']} | {cached['errors']} | "
                     f"{uncached['per_second']} | {uncached['p50_ms']} | {uncached['errors']} |")
    targets = {"cached article / fixed": pages.TARGETS["cached_over_fixed"],
               "uncached article / static": pages.TARGETS["uncached_over_static"],
               "cached home / fixed": pages.TARGETS["cached_over_fixed"],
               "uncached home / static": pages.TARGETS["uncached_over_static"]}
    lines += ["", "| ratio | figure | target | verdict |", "|---|---:|---:|---|"]
    for name, value in part["ratios"].items():
        figure = "n/a" if value is None else f"{value:.2f}"  # a reference view that answered nothing
        if name not in targets:
            lines.append(f"| {name} | {figure} | (no target: the floor of a page that reads the database) | — |")
            continue
        verdict = pages.verdict(value is not None and value >= targets[name])
        lines.append(f"| {name} | {figure} | ≥ {targets[name]:.2f} | {verdict} |")
    return lines + [""]


if __name__ == "__main__":
    main()
