"""`manage.py outbox`: the installation's outbox per centre, for its operator."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_scopes import scopes_disabled

from reminders.queries import last_sweep, queue_by_centre

COLUMNS = ("due", "waiting", "sending", "retrying", "failed", "sent_24h")


class Command(BaseCommand):
    help = "Reminders per centre: due, waiting, being sent, retrying, failed, sent in 24 h."

    def handle(self, *args, **options):
        with scopes_disabled():
            rows = queue_by_centre()
            last = last_sweep()
        width = max([len("centre"), *(len(r["network__centre__name"] or "-") for r in rows)])
        self.stdout.write("centre".ljust(width) + "".join(f"{c:>10}" for c in COLUMNS))
        for row in rows:
            name = row["network__centre__name"] or "-"
            self.stdout.write(name.ljust(width) + "".join(f"{row[c]:>10}" for c in COLUMNS))
        totals = [sum(row[c] for row in rows) for c in COLUMNS]
        self.stdout.write("all".ljust(width) + "".join(f"{t:>10}" for t in totals))
        if last:
            age = round((timezone.now() - last).total_seconds())
            self.stdout.write(
                f"last sweep finished {last.isoformat(timespec='seconds')} ({age} s ago)"
            )
        else:
            self.stdout.write("no sweep has finished yet")
