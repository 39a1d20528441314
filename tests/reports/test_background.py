"""Reports' background work loses nothing: a worker that died, a broker that is
down, an export that keeps failing."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import Export, ExportStatus, ReportStatus, StatusReport
from tests.reports.conftest import TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(setup):
    """A submitted report whose PDF has not gone out (its task never ran)."""
    report = services.report_for(setup["team"], setup["period"])
    StatusReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.SUBMITTED, submitted_at=timezone.now(), **TEXT
    )
    return report


def test_a_report_whose_worker_died_is_delivered_once_its_lease_has_run_out(submitted):
    now = timezone.now()
    # A worker took the report and died: it holds the lease for a while.
    StatusReport.objects.filter(pk=submitted.pk).update(
        delivery_lease_until=now + dt.timedelta(minutes=10)
    )
    assert services.deliver_pending(now=now) == 0
    assert mail.outbox == []
    later = now + dt.timedelta(minutes=11)
    assert services.deliver_pending(now=later) == 1
    assert services.deliver_pending(now=later) == 0  # once
    (message,) = mail.outbox
    assert message.attachments[0][2] == "application/pdf"
    fresh = StatusReport.objects.get(pk=submitted.pk)
    assert fresh.delivered_at == later and fresh.delivery_lease_until is None


def test_a_failed_delivery_gives_the_lease_back(submitted, settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_email", refuse)
    with pytest.raises(OSError):
        services.deliver_report(submitted.pk)
    fresh = StatusReport.objects.get(pk=submitted.pk)
    assert fresh.delivered_at is None and fresh.delivery_lease_until is None
    monkeypatch.undo()
    assert services.deliver_pending() == 1


def test_an_export_whose_worker_keeps_dying_is_failed_with_a_retry(
    client, coordinator, network, django_capture_on_commit_callbacks
):
    export = Export.objects.create(network=network, requested_by=coordinator)
    now = timezone.now()
    # Three workers each claimed it and died: three attempts, a lease that ran out.
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, attempts=3, lease_until=now - dt.timedelta(seconds=1)
    )
    result = services.build_pending(now=now)
    assert result == {"built": 0, "failed": 1}
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "stoppet" in export.error

    client.force_login(coordinator)
    page = client.get(reverse("reports:export", args=[network.pk, export.pk])).content.decode()
    assert "Prøv igjen" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export_retry", args=[network.pk, export.pk]))
    assert response.status_code == 302
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.file  # eager: built at once


def test_a_running_export_with_a_live_worker_is_left_alone(network, coordinator):
    export = Export.objects.create(
        network=network,
        requested_by=coordinator,
        status=ExportStatus.RUNNING,
        attempts=1,
        lease_until=timezone.now() + dt.timedelta(minutes=5),
    )
    assert services.build_pending() == {"built": 0, "failed": 0}
    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING
