"""`make bench`, part two: the product at national scale.

20 centres, 400 networks, 4,000 teams, 20,000 people, 200,000 measurements and
50,000 reminders. Measures the main pages (queries; the process's CPU time per
request, median of 100 turns; wall time and the ratio to a floor view on the same
stack, for information), a status-report PDF, a reminder sweep, and the peak memory
of a web process and of a worker rendering the 30-team summary PDF. Prints one
table; exits 1 if a page's query count grows with the data, a page or a PDF takes
more CPU time than its budget, or a memory budget is exceeded.

CPU time rather than wall time: a request that waits for a busy machine's CPU does
not count the wait. A contended host still slows the CPU itself (a shared virtual
machine's core runs slower), which the floor's CPU time shows: read a run's figures
against it.

Runs against its own database: BENCH_DATABASE_URL if set; otherwise DATABASE_URL's
PostgreSQL server with a database named "<name>_bench", or a SQLite file under /tmp.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# CPU milliseconds per request: the product's own pages, and the admin's lists and
# change forms (rendered by Django's own code).
PAGE_BUDGET_MS, ADMIN_BUDGET_MS = 25, 60
# CPU seconds per PDF.
REPORT_PDF_BUDGET_S, SUMMARY_PDF_BUDGET_S = 1.0, 10.0
WEB_RSS_MB, WORKER_RSS_MB = 250, 500
REPEAT = 100  # turns of each page with the floor


def page_budget_ms(name):
    if name == "floor":
        return None
    return ADMIN_BUDGET_MS if name.startswith("admin") else PAGE_BUDGET_MS


def bench_database_url():
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        base, _, name = url.rpartition("/")
        return f"{base}/{name.split('?')[0]}_bench"
    return "sqlite:////tmp/usht-bench.sqlite3"


def setup_django():
    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["EMAIL_URL"] = "dummy://"
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OTP_REQUIRED = False
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # The idle timeout saves the session on every request; on SQLite each
        # COMMIT waits for the disk, which made the timings swing by tens of
        # milliseconds. The bench's own throw-away database need not be durable.
        settings.DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
            "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY;"
        )


def fresh_database():
    url = bench_database_url()
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    import psycopg2

    base, _, name = url.rpartition("/")
    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def child(mode):
    """Run ``mode`` in a new process; it prints JSON and its own peak RSS."""
    result = subprocess.run(
        [sys.executable, __file__, mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        env=os.environ.copy(),
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"bench step {mode} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def peak_rss_mb():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- In the child processes ---------------------------------------------------------------


def measure_pages():
    setup_django()
    from django.core.signals import request_started
    from django.db import connection
    from django.db import reset_queries as reset_on_request
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.scale import subjects

    # Count every query of a request: Django clears the log when a request starts.
    request_started.disconnect(reset_on_request)
    pages = subjects()
    floor_user, floor_path = pages.pop("floor")
    page_client, floor_client = Client(), Client()
    floor_client.force_login(floor_user)
    results, floor_samples = {}, []
    for name, (user, path) in pages.items():
        if user is None:
            page_client.logout()
        else:
            page_client.force_login(user)
        page_client.get(path)  # warm caches, templates, the session
        floor_client.get(floor_path)
        with CaptureQueriesContext(connection) as queries:
            response = page_client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {path} answered {response.status_code}")
        # The floor and the page take turns (in alternating order), so that each pair
        # meets the same machine: on a shared virtual machine the speed drifts by a
        # third within a minute. The ratio is the median of the pairs' ratios.
        cpu, wall, floors = [], [], []
        for turn in range(REPEAT):
            for client, target, samples in (
                (floor_client, floor_path, None),
                (page_client, path, cpu),
            )[:: 1 - 2 * (turn % 2)]:
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(target)
                ended_cpu, ended = time.process_time(), time.perf_counter()
                if samples is None:
                    floors.append((ended - started, ended_cpu - started_cpu))
                else:
                    cpu.append(ended_cpu - started_cpu)
                    wall.append(ended - started)
        ratios = [page / floor for page, (floor, _) in zip(wall, floors, strict=True)]
        floor_samples += floors
        results[name] = {
            "queries": len(queries),
            "cpu": statistics.median(cpu),
            "wall": statistics.median(wall),
            "p95": sorted(wall)[int(len(wall) * 0.95) - 1],
            "ratio": statistics.median(ratios),
        }
    with CaptureQueriesContext(connection) as queries:
        floor_client.get(floor_path)
    floor_wall = sorted(wall for wall, _ in floor_samples)
    results = {
        "floor": {
            "queries": len(queries),
            "cpu": statistics.median(cpu for _, cpu in floor_samples),
            "wall": statistics.median(floor_wall),
            "p95": floor_wall[int(len(floor_wall) * 0.95) - 1],
            "ratio": 1.0,
        },
        **results,
    }
    results["_rss_mb"] = peak_rss_mb()
    print(json.dumps(results))


def measure_worker():
    setup_django()
    from django.utils import timezone

    from bench.scale import report_for_pdf, summary_network
    from reminders.sending import sweep
    from reports.exports import summary_pdf
    from reports.services import report_pdf

    def timed(function):
        """(result, CPU seconds, wall seconds) of ``function()`` in this process."""
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        return result, time.process_time() - started_cpu, time.perf_counter() - started

    # The first PDF of a process also loads WeasyPrint's fonts and style sheets; a
    # worker does that once, so it is shown apart and the budget is on the next ones.
    status_report = report_for_pdf()
    _, first_cpu, _ = timed(lambda: report_pdf(status_report))
    renders = [timed(lambda: report_pdf(status_report)) for _ in range(5)]
    report_cpu = statistics.median(cpu for _, cpu, _ in renders)
    report_wall = statistics.median(wall for _, _, wall in renders)
    counts, sweep_cpu, sweep_wall = timed(lambda: sweep(timezone.now()))
    _, summary_cpu, summary_wall = timed(lambda: summary_pdf(summary_network()))
    print(
        json.dumps(
            {
                "report_pdf": {"cpu": report_cpu, "wall": report_wall, "first": first_cpu},
                "sweep": {"cpu": sweep_cpu, "wall": sweep_wall},
                "swept": counts["sent"],
                "summary_pdf": {"cpu": summary_cpu, "wall": summary_wall},
                "_rss_mb": peak_rss_mb(),
            }
        )
    )


def generate(size):
    setup_django()
    from bench.scale import generate as make

    started = time.perf_counter()
    counts = make(size)
    from django.db import connection

    if connection.vendor == "postgresql":
        # A database in service has its planner statistics (autovacuum gathers them);
        # these rows were bulk-loaded a moment ago.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(json.dumps({**counts, "seconds": time.perf_counter() - started}))


def migrate():
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(json.dumps({"ok": True}))


# --- The orchestra --------------------------------------------------------------------------


def host_speed_ms() -> float:
    """A fixed piece of pure Python, to read a run against: the VM's CPU speed
    itself drifts (by three times, seen on the 2-core CI machine)."""
    import timeit

    return min(timeit.repeat("sum(range(10**6))", number=5, repeat=5)) / 5 * 1000


def main():
    started = time.perf_counter()
    fresh_database()
    child("migrate")
    child("generate-small")
    small = child("pages")
    fresh_database()
    child("migrate")
    national = child("generate-national")
    large = child("pages")
    worker = child("worker")
    failures = []
    lines = [
        f"{'page':32} {'queries':>7} {'(small)':>7} {'CPU':>9} {'budget':>6} "
        f"{'wall':>9} {'p95':>9} {'× floor':>8}"
    ]
    for name, row in large.items():
        if name.startswith("_"):
            continue
        cpu_ms, budget = row["cpu"] * 1000, page_budget_ms(name)
        if row["queries"] != small[name]["queries"]:
            failures.append(
                f"{name}: {small[name]['queries']} queries with little data, "
                f"{row['queries']} at national scale"
            )
        if budget is not None and cpu_ms > budget:
            failures.append(f"{name}: {cpu_ms:.1f} ms CPU a request (budget {budget} ms)")
        lines.append(
            f"{name:32} {row['queries']:7d} {small[name]['queries']:7d} "
            f"{cpu_ms:7.1f}ms {budget or '':>4}ms "
            f"{row['wall'] * 1000:7.1f}ms {row['p95'] * 1000:7.1f}ms {row['ratio']:8.1f}"
        )
    for key, label, budget in (
        ("report_pdf", "status-report PDF (3 charts)", REPORT_PDF_BUDGET_S),
        ("summary_pdf", "network summary PDF (30 teams)", SUMMARY_PDF_BUDGET_S),
    ):
        if worker[key]["cpu"] > budget:
            failures.append(f"{label}: {worker[key]['cpu']:.2f} s CPU (budget {budget} s)")
    lines += [
        "",
        "CPU is this process's CPU time per request (median of "
        f"{REPEAT} turns); wall and × floor are for information.",
        "",
        f"status-report PDF (3 charts)       {worker['report_pdf']['cpu']:.2f} s CPU "
        f"(budget {REPORT_PDF_BUDGET_S} s), {worker['report_pdf']['wall']:.2f} s wall; "
        f"first in the process {worker['report_pdf']['first']:.2f} s CPU",
        f"reminder sweep ({worker['swept']} sent)          {worker['sweep']['cpu']:.2f} s CPU, "
        f"{worker['sweep']['wall']:.2f} s wall",
        f"network summary PDF (30 teams)     {worker['summary_pdf']['cpu']:.2f} s CPU "
        f"(budget {SUMMARY_PDF_BUDGET_S} s), {worker['summary_pdf']['wall']:.2f} s wall",
        f"peak RSS, web process              {large['_rss_mb']:.0f} MB (budget {WEB_RSS_MB})",
        f"peak RSS, worker (summary PDF)     {worker['_rss_mb']:.0f} MB (budget {WORKER_RSS_MB})",
        f"data: {national['centres']} centres, {national['networks']} networks, "
        f"{national['teams']} teams, {national['people']} people, "
        f"{national['measurements']} measurements, {national['reminders']} reminders "
        f"(generated in {national['seconds']:.0f} s)",
        f"database: {'PostgreSQL' if bench_database_url().startswith('postgres') else 'SQLite'}"
        f"; whole run {time.perf_counter() - started:.0f} s",
    ]
    if large["_rss_mb"] > WEB_RSS_MB:
        failures.append(f"web process used {large['_rss_mb']:.0f} MB")
    if worker["_rss_mb"] > WORKER_RSS_MB:
        failures.append(f"worker used {worker['_rss_mb']:.0f} MB")
    lines.append(f"host speed: sum(range(10**6)) took {host_speed_ms():.0f} ms (best of 5)")
    print("\n".join(lines))
    if failures:
        print("\nOVER BUDGET:\n  " + "\n  ".join(failures))
        raise SystemExit(1)
    print("\nAll within budget.")


if __name__ == "__main__":
    modes = {
        "migrate": migrate,
        "pages": measure_pages,
        "worker": measure_worker,
        "generate-small": lambda: generate("small"),
        "generate-national": lambda: generate("national"),
    }
    if len(sys.argv) > 1:
        from django_scopes import scopes_disabled

        # The bench builds and reads every centre: its own code declares no centre.
        # The pages it measures run in their user's scope (ScopeMiddleware).
        with scopes_disabled():
            modes[sys.argv[1]]()
    else:
        main()
