"""The unit leader's page: landing on it, what it shows, who may see it, and
"Etterspør resultat" until the next report is submitted."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.services import report_for, save_draft, submit
from teams.models import Measure, Measurement
from units.models import ResultRequest
from units.services import deliver_request

pytestmark = pytest.mark.django_db


def unit_url(unit):
    return reverse("units:unit", args=[unit["team"].pk])


def test_a_unit_leader_lands_on_their_unit(client, unit):
    client.force_login(unit["unit_leader"])
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("units:my_units")
    mine = client.get(home["Location"])
    assert mine.status_code == 302 and mine["Location"] == unit_url(unit)


def test_the_login_of_a_unit_leader_ends_on_the_unit_page(client, unit):
    answer = client.post(
        reverse("security:login"),
        {"username": "enhetsleder@kommune.no", "password": "pw"},
        follow=True,
    )
    assert answer.redirect_chain[-1][0] == unit_url(unit)
    assert "Etterspør resultat" in answer.content.decode()


def test_team_members_and_coordinators_keep_the_front_page(client, unit):
    for who in ("leader", "member", "coordinator"):
        client.force_login(unit[who])
        assert client.get(reverse("home")).status_code == 200


def test_a_unit_leader_who_is_also_on_a_team_keeps_the_front_page(client, unit):
    from teams.models import Role
    from tests.factories import TeamMemberFactory

    TeamMemberFactory(team=unit["other_team"], person=unit["team"].unit_leader, role=Role.MEMBER)
    client.force_login(unit["unit_leader"])
    assert client.get(reverse("home")).status_code == 200


def test_the_page_shows_the_charts_reports_sessions_and_agreement(client, unit):
    client.force_login(unit["unit_leader"])
    page = client.get(unit_url(unit)).content.decode()
    assert "Antall fall" in page and "<svg" in page
    assert "Statusrapporter" in page
    period = unit["team"].network.report_periods.order_by("due_on").first()
    assert reverse("reports:report", args=[unit["team"].pk, period.pk]) in page
    assert "Neste samling" in page
    assert "Ikke sendt" in page  # the agreement's status
    assert reverse("units:board", args=[unit["team"].pk]) in page


def test_the_signed_agreement_downloads_again(client, unit, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from agreements.models import AgreementStatus
    from agreements.services import ensure_agreement

    settings.MEDIA_ROOT = tmp_path
    agreement = ensure_agreement(unit["team"])
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_at = timezone.now()
    agreement.signer_name = "Marit Berg"
    agreement.document_sha256 = "0" * 64
    agreement.pdf.save("a.pdf", ContentFile(b"%PDF-1.7 signed"), save=False)
    agreement.save()
    client.force_login(unit["unit_leader"])
    page = client.get(unit_url(unit)).content.decode()
    assert "Signert av Marit Berg" in page
    download = client.get(reverse("units:agreement_pdf", args=[unit["team"].pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 signed"
    assert agreement.reference in download["Content-Disposition"]
    client.force_login(unit["other_unit_leader"])
    assert client.get(reverse("units:agreement_pdf", args=[unit["team"].pk])).status_code == 404
    client.force_login(unit["member"])
    assert client.get(reverse("units:agreement_pdf", args=[unit["team"].pk])).status_code == 403


def test_an_unsigned_agreement_has_no_download(client, unit):
    client.force_login(unit["unit_leader"])
    assert client.get(reverse("units:agreement_pdf", args=[unit["team"].pk])).status_code == 404


def test_who_sees_the_unit_page(client, unit, outsider):
    url = unit_url(unit)
    assert "/konto/logg-inn/" in client.get(url)["Location"]
    for who, status in (
        (unit["unit_leader"], 200),
        (unit["coordinator"], 200),
        (unit["member"], 403),
        (unit["leader"], 403),
        (unit["other_unit_leader"], 404),
        (outsider, 404),
    ):
        client.force_login(who)
        assert client.get(url).status_code == status, who


def test_the_unit_page_costs_the_same_with_more_measures(client, unit):
    client.force_login(unit["unit_leader"])
    url = unit_url(unit)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for name in ("Andel risikovurdert", "Antall skader"):
        measure = Measure.objects.create(team=unit["team"], name=name)
        Measurement.objects.create(measure=measure, period_start="2026-01-01", value=3)
    ResultRequest.objects.create(
        team=unit["team"], asked_at="2026-01-01T10:00Z", closed_at="2026-01-02T10:00Z"
    )
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert "Antall skader" in page
    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]


# --- Etterspør resultat ---------------------------------------------------------------


def ask(client, unit, message="Hvordan går det med fallene?"):
    client.force_login(unit["unit_leader"])
    return client.post(unit_url(unit), {"message": message})


def test_the_unit_leader_asks_and_the_team_leader_is_emailed_and_sees_it(
    client, unit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = ask(client, unit)
    assert answer.status_code == 302
    request = ResultRequest.objects.get(team=unit["team"])
    assert request.asked_by == unit["team"].unit_leader and request.is_open
    assert request.emailed_at is not None
    message = mail.outbox[-1]
    assert message.to == ["leder@kommune.no"]
    assert message.reply_to == ["enhetsleder@kommune.no"]
    assert "Marit Berg" in message.body and "Hvordan går det med fallene?" in message.body
    assert reverse("teams:team", args=[unit["team"].pk]) in message.body
    client.force_login(unit["unit_leader"])
    assert "Du etterspurte resultat fra teamet" in client.get(unit_url(unit)).content.decode()
    client.force_login(unit["leader"])
    team_page = client.get(reverse("teams:team", args=[unit["team"].pk])).content.decode()
    assert "Enhetsleder etterspør resultat" in team_page
    assert "Hvordan går det med fallene?" in team_page


def test_a_second_request_while_one_is_open_is_refused_and_the_text_kept(client, unit):
    ask(client, unit)
    answer = ask(client, unit, "En gang til")
    assert answer.status_code == 400
    page = answer.content.decode()
    # The open request is shown, not a second form.
    assert "Du etterspurte resultat fra teamet" in page
    assert ResultRequest.objects.filter(team=unit["team"]).count() == 1


def test_a_too_long_message_is_refused_next_to_the_field_with_the_text_kept(client, unit):
    answer = ask(client, unit, "x" * 501)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "is-invalid" in page and "x" * 501 in page
    assert not ResultRequest.objects.exists()


def test_only_the_unit_leader_asks(client, unit, outsider):
    url = unit_url(unit)
    for who, status in (
        (unit["coordinator"], 403),
        (unit["member"], 403),
        (unit["other_unit_leader"], 404),
        (outsider, 404),
    ):
        client.force_login(who)
        assert client.post(url, {"message": "x"}).status_code == status
    assert not ResultRequest.objects.exists()


def test_the_next_submitted_report_closes_the_request(client, unit, coordinator):
    ask(client, unit)
    team = unit["team"]
    period = team.network.report_periods.order_by("due_on").first()
    report = save_draft(
        report_for(team, period),
        cycles=[],
        what_worked="Sokker",
        challenges="Vikarer",
        next_steps="Spre",
    )
    client.force_login(unit["leader"])
    assert (
        "Enhetsleder etterspør resultat"
        in client.get(reverse("teams:team", args=[team.pk])).content.decode()
    )
    submit(report, user=unit["leader"])
    request = ResultRequest.objects.get(team=team)
    assert request.closed_at is not None and request.closed_by_report == report
    assert (
        "Enhetsleder etterspør resultat"
        not in client.get(reverse("teams:team", args=[team.pk])).content.decode()
    )
    client.force_login(unit["unit_leader"])
    page = client.get(unit_url(unit)).content.decode()
    assert f"besvart av rapporten {period}" in page
    # Answered: the unit leader may ask again.
    assert ask(client, unit, "Og nå?").status_code == 302
    assert ResultRequest.objects.filter(team=team, closed_at__isnull=True).count() == 1


def test_a_request_is_emailed_once(unit):
    from units.services import ask_for_results

    request = ask_for_results(unit["team"], unit["team"].unit_leader, "Hei")
    assert deliver_request(request.pk) is True
    assert deliver_request(request.pk) is False
    assert len([m for m in mail.outbox if m.to == ["leder@kommune.no"]]) == 1


def test_the_email_reaches_the_team_leader_through_a_real_smtp_server(unit, settings):
    from tests.smtp import smtp_server
    from units.services import ask_for_results

    request = ask_for_results(unit["team"], unit["team"].unit_leader, "Hvordan går det?")
    with smtp_server() as (server, port):
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        assert deliver_request(request.pk) is True
    [envelope] = server.messages
    assert envelope.rcpt_tos == ["leder@kommune.no"]
    text = envelope.content.decode()
    assert "Message-ID: <result-request." in text
    request.refresh_from_db()
    assert request.emailed_at is not None


def test_a_persons_data_export_holds_their_requests_and_cards(unit):
    from privacy.export import person_sections
    from units.services import add_card, ask_for_results

    person = unit["team"].unit_leader
    ask_for_results(unit["team"], person, "Hvordan går det?")
    add_card(unit["team"], unit["member"].person, title="Sensormatte")
    mine = {s.key: s.rows for s in person_sections(person)}
    assert [r["message"] for r in mine["result_requests"]] == ["Hvordan går det?"]
    assert mine["board_cards"] == []
    theirs = {s.key: s.rows for s in person_sections(unit["member"].person)}
    assert [(r["title"], r["column"]) for r in theirs["board_cards"]] == [("Sensormatte", "Nye")]


def test_the_unit_page_shows_the_progress_score_and_its_history(client, unit):
    from decimal import Decimal

    from reports import services as reports
    from reports.models import StatusReport

    periods = list(unit["team"].network.report_periods.order_by("due_on"))
    leader = unit["leader"]
    client.force_login(unit["unit_leader"])
    assert "Ingen rapport med framdriftsskår ennå" in client.get(unit_url(unit)).content.decode()
    for period, proposed in zip(periods[:2], ("2.0", "3.0"), strict=True):
        report, missing = reports.save_and_submit(
            StatusReport(team=unit["team"], period=period),
            user=leader,
            cycles=[],
            what_worked="Tavlemøter",
            challenges="Vikarer",
            next_steps="Mer testing",
            proposed_score=Decimal(proposed),
        )
        assert not missing, missing
    first = StatusReport.objects.get(team=unit["team"], period=periods[0])
    reports.confirm_score(
        first,
        score=Decimal("1.5"),
        comment="Ikke testet ennå",
        by=unit["coordinator"],
        seen_version=first.score_version,
    )
    page = " ".join(client.get(unit_url(unit)).content.decode().split())
    # Now: the latest report's proposal, not yet confirmed; the history has both.
    assert "Nå: <strong>3,0 (foreslått av teamet, ikke bekreftet ennå)</strong>" in page
    assert "<td>2,0</td><td>1,5</td>" in page and "<td>3,0</td><td>–</td>" in page
