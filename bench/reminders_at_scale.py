"""`make bench`, part three: a Monday morning with 10,000 due reminders.

Two Celery workers on PostgreSQL and Redis send them to a real SMTP server on
loopback (aiosmtpd, in this process). Prints the time until the mail server has
accepted the last one, the workers' CPU milliseconds per message and the queries
per batch and per message; exits 1 if the 10,000 take more than 60 s, or if the
queries grow with the messages instead of with the batches.

Runs on its own database, "<name>_mail" on DATABASE_URL's PostgreSQL server, and
on Redis database 7 of REDIS_URL; without both it says so and exits 0.
"""

import datetime as dt
import logging
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REMINDERS = 10_000
SESSIONS = 50
WORKERS = 2
BUDGET_S = 60


def mail_database_url():
    base, _, name = os.environ["DATABASE_URL"].rpartition("/")
    return f"{base}/{name.split('?')[0]}_mail"


def broker_url():
    return os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/7"


MESSAGE_ID = re.compile(rb"^Message-ID: *(<[^>]+>)", re.M | re.I)


class Sink:
    """An SMTP server that counts what it accepts."""

    def __init__(self):
        self.message_ids = []
        self.last = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.content)
        message_id = found.group(1) if found else None
        with self.lock:
            self.message_ids.append(message_id)
            self.last = time.perf_counter()
        return "250 OK"


def cpu_seconds(pid):
    """User and system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fresh_database():
    import psycopg2

    url = mail_database_url()
    base, _, name = url.rpartition("/")
    admin = psycopg2.connect(f"{base}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup_django():
    os.environ["DATABASE_URL"] = mail_database_url()
    os.environ["CELERY_BROKER_URL"] = broker_url()
    os.environ["EMAIL_URL"] = "dummy://"  # this process sends nothing itself
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def due_reminders(count, sessions):
    from django.utils import timezone

    from network.models import Centre, Coordinator, Network, Person
    from reminders.models import Reminder, ReminderKind
    from sessions_app.models import Session, SessionKind

    centre, created = Centre.objects.get_or_create(
        name="USHT Nordland", defaults={"county": "18", "email": "post@usht.no"}
    )
    if created:
        person = Person.objects.create(centre=centre, name="Kari Koordinator", email="kari@usht.no")
        Coordinator.objects.create(centre=centre, person=person)
    network = Network.objects.create(
        centre=centre, title=f"Læringsnettverk {count}", start_date=dt.date(2026, 9, 1)
    )
    start = timezone.now() + dt.timedelta(days=14)
    made = Session.objects.bulk_create(
        Session(
            network=network,
            kind=SessionKind.GATHERING,
            number=n + 1,
            starts_at=start + dt.timedelta(days=n),
            ends_at=start + dt.timedelta(days=n, hours=6),
            place="Leknes",
            agenda="Kunnskap om forbedring og forbedringsmodellen.",
        )
        for n in range(sessions)
    )
    now = timezone.now()
    Reminder.objects.bulk_create(
        (
            Reminder(
                key=f"gathering:s{made[n % sessions].pk}:d14:deltaker{n}@kommune.no",
                kind=ReminderKind.GATHERING,
                network=network,
                session=made[n % sessions],
                recipient_email=f"deltaker{n}@kommune.no",
                due_at=now - dt.timedelta(minutes=1),
                expires_at=made[n % sessions].starts_at,
            )
            for n in range(count)
        ),
        batch_size=2000,
    )


def queries_per_batch():
    """One sweep in this process, queries counted: (batches, queries, messages)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.sending import sweep

    with CaptureQueriesContext(connection) as queries:
        result = sweep(batches=4)
    return result["batches"], len(queries), result["sent"]


def start_worker(port, name, log):
    env = {
        **os.environ,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "SITE_URL": "https://usht.example.no",
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
            "-n",
            name,
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def host_speed_ms() -> float:
    import timeit

    return min(timeit.repeat("sum(range(10**6))", number=5, repeat=5)) / 5 * 1000


def main():
    if not (
        os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
    ):
        print("10,000 reminders: needs DATABASE_URL (PostgreSQL) and REDIS_URL; not measured.")
        return
    fresh_database()
    setup_django()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from config.celery import app
    from reminders.models import Reminder, ReminderState
    from tests.smtp import free_port

    call_command("migrate", verbosity=0)
    with scopes_disabled():
        due_reminders(REMINDERS, SESSIONS)
    import redis

    redis.Redis.from_url(broker_url()).flushdb()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: every command
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    log = open("/tmp/usht-bench-workers.log", "w")  # noqa: SIM115 - open while they run
    workers = [start_worker(controller.port, f"bench{n}@%h", log) for n in range(WORKERS)]
    try:
        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=1.0)) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.5)
        cpu_before = sum(cpu_seconds(w.pid) for w in workers)
        sink_before = time.process_time()
        started = time.perf_counter()
        for _ in range(WORKERS):
            app.send_task("reminders.sweep")  # what beat sends each minute
        deadline = time.monotonic() + 10 * BUDGET_S
        while len(sink.message_ids) < REMINDERS and time.monotonic() < deadline:
            time.sleep(0.2)
        elapsed = (sink.last or time.perf_counter()) - started
        time.sleep(1)  # let the workers record their last batch
        cpu = sum(cpu_seconds(w.pid) for w in workers) - cpu_before
        sink_cpu = time.process_time() - sink_before
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        controller.stop()
    with scopes_disabled():
        left = Reminder.objects.exclude(state=ReminderState.SENT).count()
        # Queries, measured apart in this process on a fresh set of 200 due reminders.
        Reminder.objects.all().delete()
        due_reminders(200, 4)
        batches, queries, sent = queries_per_batch()
    accepted, distinct = len(sink.message_ids), len(set(sink.message_ids))
    print(
        f"10,000 reminders, {WORKERS} workers on PostgreSQL and Redis, SMTP on loopback\n"
        f"  accepted by the mail server: {accepted} ({distinct} distinct Message-IDs), "
        f"{left} not recorded as sent\n"
        f"  time until the last was accepted: {elapsed:.1f} s (budget {BUDGET_S} s)\n"
        f"  workers' CPU: {cpu * 1000 / max(accepted, 1):.2f} ms per message; the mail "
        f"server's (this process): {sink_cpu * 1000 / max(accepted, 1):.2f} ms\n"
        f"  queries: {queries / batches:.1f} per batch of {sent // batches}, "
        f"{queries / sent:.2f} per message\n"
        f"  host speed: sum(range(10**6)) took {host_speed_ms():.0f} ms (best of 5)"
    )
    failures = []
    if distinct < REMINDERS or left:
        failures.append(f"only {distinct} of {REMINDERS} arrived, {left} not recorded")
    if elapsed > BUDGET_S:
        failures.append(f"{elapsed:.1f} s for {REMINDERS} reminders (budget {BUDGET_S} s)")
    if queries / batches > 20:
        failures.append(f"{queries / batches:.1f} queries a batch: they grow with the messages")
    if failures:
        print("\nOVER BUDGET:\n  " + "\n  ".join(failures))
        raise SystemExit(1)
    print("  within budget")


if __name__ == "__main__":
    main()
