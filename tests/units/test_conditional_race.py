"""Two transactions meet on PostgreSQL, each in the scope a request would have.

The first changes the row and holds its transaction open until the second, a
conditional UPDATE that expects the row as it was, waits on the row's lock; then
the first commits. The second must find that the row is no longer as it expected
and change nothing. Under a scope whose centre lies behind joins, Django writes
the UPDATE as ``WHERE id IN (SELECT … JOIN …)``, and PostgreSQL (READ COMMITTED)
does not check the subquery's condition again against the row the first
transaction committed: the second went through. ``lib.conditional.update_if``
writes the plain ``WHERE id = … AND …``, which PostgreSQL does check again.
"""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lib import conditional
from reports.models import ReportStatus, StatusReport
from units import services as units
from units.models import BoardCard, Column

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _wait_until_someone_waits_on_a_lock(seconds=10.0):
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the second transaction never waited on the row")


def _meet(first, second, centre_id):
    """``first`` commits while ``second`` (in the centre's scope) waits on its lock."""
    holding, outcome = threading.Event(), {}

    def run_first():
        try:
            with scopes_disabled(), transaction.atomic():
                first()
                holding.set()
                _wait_until_someone_waits_on_a_lock()
        except Exception as error:  # pragma: no cover - shown by the assertion below
            outcome["first"] = error
        finally:
            holding.set()
            connection.close()

    def run_second():
        holding.wait(10)
        try:
            with scope(centre=[centre_id]):
                outcome["second"] = second()
        except Exception as error:
            outcome["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert "first" not in outcome, outcome
    return outcome["second"]


def test_a_stale_move_of_a_board_card_is_refused(unit):
    team = unit["team"]
    card = units.add_card(team, None, title="Sensormatte")
    first, second = BoardCard.objects.get(pk=card.pk), BoardCard.objects.get(pk=card.pk)
    outcome = _meet(
        lambda: units.move_card(first, Column.TESTING, version=1),
        lambda: units.move_card(second, Column.SET_ASIDE, version=1),
        team.network.centre_id,
    )
    assert isinstance(outcome, units.UnitError), outcome
    card.refresh_from_db()
    assert (card.column, card.version) == (Column.TESTING, 2)


def test_update_if_refuses_a_report_whose_status_changed_meanwhile(unit):
    """The status moves from submitted to draft while the second waits; its
    update expects submitted and must change nothing."""
    team = unit["team"]
    period = team.network.report_periods.order_by("number").first()
    report = StatusReport.objects.create(
        team=team, period=period, status=ReportStatus.SUBMITTED, what_worked="Sokker"
    )
    outcome = _meet(
        lambda: StatusReport.objects.filter(pk=report.pk).update(status=ReportStatus.DRAFT),
        lambda: conditional.update_if(
            StatusReport,
            report.pk,
            {"status": ReportStatus.SUBMITTED},
            what_worked="Skrevet på et gammelt grunnlag",
        ),
        team.network.centre_id,
    )
    assert outcome == 0
    report.refresh_from_db()
    assert (report.status, report.what_worked) == (ReportStatus.DRAFT, "Sokker")


def test_a_second_reopening_of_the_same_submission_is_refused(unit, coordinator):
    """Two coordinators reopen the submission they both saw: one reopens it."""
    from reports import services as reports

    team = unit["team"]
    period = team.network.report_periods.order_by("number").first()
    submitted_at = timezone.now()
    report = StatusReport.objects.create(
        team=team, period=period, status=ReportStatus.SUBMITTED, submitted_at=submitted_at
    )
    first, second = StatusReport.objects.get(pk=report.pk), StatusReport.objects.get(pk=report.pk)
    outcome = _meet(
        lambda: reports.reopen(
            first, user=coordinator, reason="Mangler tall", submitted_at=submitted_at
        ),
        lambda: reports.reopen(
            second, user=coordinator, reason="Feil tall", submitted_at=submitted_at
        ),
        team.network.centre_id,
    )
    assert isinstance(outcome, reports.ReopenedMeanwhile), outcome
    report.refresh_from_db()
    assert (report.status, report.reopen_reason) == (ReportStatus.DRAFT, "Mangler tall")
