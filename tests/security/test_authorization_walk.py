"""Every URL name outside the admin, walked as four people: anonymous, the right
role, the wrong role, and an outsider from another team or centre.

A new URL without an entry here fails the walk: decide who may see it first.
The admin has its own walk in tests/network/test_admin_scoping.py.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from agreements import services as agreement_services
from gatherings import services as gatherings
from improvement.models import ChangeIdea, Driver
from knowledge import services as knowledge
from knowledge.models import Document
from network.models import Network, RecommendedMeasure
from reminders.calendar import new_feed_token
from reminders.models import SweepHeartbeat
from reminders.sending import unsubscribe_token
from reports.models import ReportPeriod, ReportStatus, StatusReport
from sessions_app.models import Session
from teams.models import Role, Team
from tests.browser.test_accessibility import url_names
from tests.factories import CoordinatorFactory, TeamMemberFactory, UserFactory
from units import services as board

pytestmark = pytest.mark.django_db

PUBLIC, LOGIN, HIDDEN = "public", "login", "hidden"  # HIDDEN: 404 for a visitor


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo region, seeded once for this module's tests, which only read it (the
    one that reopens a report does so in its own transaction, rolled back after)."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        scopes_disabled(),
        transaction.atomic(),
    ):
        yield _seed_world()
        transaction.set_rollback(True)


def _seed_world():
    call_command("seed_demo", verbosity=0)
    # /healthz answers 200 once a sweep has finished.
    SweepHeartbeat.objects.create(pk=1, finished_at=timezone.now())
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    learning = team.network
    improvement = Network.objects.get(kind="improvement", centre=learning.centre)
    gathering = Session.objects.get(network=improvement, number=2)
    period = ReportPeriod.objects.filter(network=learning).first()
    report = StatusReport.objects.create(
        team=team,
        period=period,
        status=ReportStatus.SUBMITTED,
        what_worked="x",
        challenges="y",
        next_steps="z",
    )
    report.pdf.save(
        "r.pdf", __import__("django.core.files.base", fromlist=["x"]).ContentFile(b"%PDF-1.7")
    )
    member = TeamMemberFactory(
        team=team, role=Role.MEMBER, person__user=UserFactory(email="medlem@demo.no")
    ).person.user
    other_team = learning.teams.exclude(pk=team.pk).first()
    stranger = TeamMemberFactory(
        team=other_team,
        role=Role.MEASUREMENT_LEAD,
        person__user=UserFactory(email="fremmed@demo.no"),
    ).person.user
    outsider = CoordinatorFactory(person__user=UserFactory(email="ute@demo.no")).person.user
    card = board.add_card(team, None, title="Sensormatte ved sengen")
    svolvaer = learning.teams.get(unit="Svolvær sykehjem")
    agreement_services.deliver_signed(svolvaer.agreement.pk)  # its signed PDF, as a worker would
    document = knowledge.add_document(
        improvement, name="slides.pdf", data=b"%PDF-1.7 x", title="Lysark", session=gathering
    )
    return {
        "team": team,
        "learning": learning,
        "improvement": improvement,
        "gathering": gathering,
        "period": period,
        "report": report,
        "measure": team.measures.first(),
        "cycle": team.pdsa_cycles.first(),
        "leader": team.members.get(role=Role.TEAM_LEADER).person.user,
        "member": member,
        "stranger": stranger,
        "outsider": outsider,
        "coordinator": learning.centre.coordinators.first().person.user,
        "token": agreement_services.send(team.agreement),
        "feed": new_feed_token(team.members.get(role=Role.TEAM_LEADER).person),
        "unsubscribe": unsubscribe_token(
            team.members.get(role=Role.TEAM_LEADER).person_id, "gathering"
        ),
        "document": document,
        "export": _ready_export(learning),
        "driver": Driver.objects.filter(diagram__team=team).first(),
        "idea": ChangeIdea.objects.filter(diagram__team=team).first(),
        "unit_leader": team.unit_leader.user,
        # The unit leader of another team of the same network (tone.eriksen@demo.no).
        "other_unit_leader": svolvaer.unit_leader.user,
        "svolvaer": svolvaer,
        "card": card,
        "follow_up_token": _follow_up_token(learning),
        "round": team.assessments.filter(status="open").first(),
        "follow_up_record": learning.sessions.get(kind="follow_up").follow_up_records.first().pk,
    }


def _follow_up_token(network):
    from sessions_app import services as sessions
    from sessions_app.queries import follow_up_call

    records = sessions.ensure_records(follow_up_call(network))
    return sessions.issue_link(records[0])


def _ready_export(network):
    from django.core.files.base import ContentFile

    from reports.models import Export, ExportStatus

    export = Export.objects.create(network=network, status=ExportStatus.DONE)
    export.file.save("s.pdf", ContentFile(b"%PDF-1.7"))
    return export


def walk_table(w):
    """name: (path, anonymous, right, wrong, outsider); users are keys of ``w``."""
    t, m, p = w["team"].pk, w["measure"].pk, w["period"].pk
    n, i, g = w["learning"].pk, w["improvement"].pk, w["gathering"].pk
    return {
        "home": (reverse("home"), PUBLIC, None, None, None),
        "security:login": (reverse("security:login"), PUBLIC, None, None, None),
        "accessibility": (reverse("accessibility"), PUBLIC, None, None, None),
        "privacy:statement": (reverse("privacy:statement"), PUBLIC, None, None, None),
        "privacy:erase": (
            reverse("privacy:erase", args=[w["member"].person.pk]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "privacy:export": (
            reverse("privacy:export", args=[w["member"].person.pk]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "security:password_reset": (reverse("security:password_reset"), PUBLIC, None, None, None),
        "security:password_reset_done": (
            reverse("security:password_reset_done"),
            PUBLIC,
            None,
            None,
            None,
        ),
        "security:password_reset_confirm": (
            reverse("security:password_reset_confirm", args=["x", "y"]),
            PUBLIC,
            None,
            None,
            None,
        ),
        "security:password_reset_complete": (
            reverse("security:password_reset_complete"),
            PUBLIC,
            None,
            None,
            None,
        ),
        "healthz": (reverse("healthz"), PUBLIC, None, None, None),
        # The signed PDF for the browser that signed it a moment ago (its session),
        # nobody else: tests/agreements/test_signing.py.
        "agreements:receipt_pdf": (reverse("agreements:receipt_pdf"), HIDDEN, None, None, None),
        "security:two_factor": (reverse("security:two_factor"), LOGIN, "coordinator", None, None),
        "agreements:sign": (
            reverse("agreements:sign", args=[w["token"]]),
            PUBLIC,
            None,
            None,
            None,
        ),
        "agreements:verify": (reverse("agreements:verify"), PUBLIC, None, None, None),
        "gatherings:gathering": (
            reverse("gatherings:gathering", args=[g]),
            PUBLIC,
            None,
            None,
            None,
        ),
        "gatherings:register": (reverse("gatherings:register", args=[g]), PUBLIC, None, None, None),
        "knowledge:propose": (reverse("knowledge:propose", args=[g]), PUBLIC, None, None, None),
        "gatherings:programme_pdf": (
            reverse("gatherings:programme_pdf", args=[g]),
            PUBLIC,
            None,
            None,
            None,
        ),
        "knowledge:document": (
            reverse("knowledge:document", args=[w["document"].key]),
            HIDDEN,
            "coordinator",
            None,
            "outsider",
        ),
        "reminders:feed": (reverse("reminders:feed", args=[w["feed"]]), PUBLIC, None, None, None),
        "teams:my_teams": (reverse("teams:my_teams"), LOGIN, "coordinator", None, None),
        "reminders:calendar": (reverse("reminders:calendar"), LOGIN, "leader", None, None),
        "teams:team": (reverse("teams:team", args=[t]), LOGIN, "member", None, "stranger"),
        "teams:measure": (reverse("teams:measure", args=[t, m]), LOGIN, "member", None, "stranger"),
        "teams:measure_create": (
            reverse("teams:measure_create", args=[t]),
            LOGIN,
            "leader",
            "member",
            "stranger",
        ),
        "teams:measure_upload": (
            reverse("teams:measure_upload", args=[t, m]),
            LOGIN,
            "leader",
            "member",
            "stranger",
        ),
        "teams:measure_svg": (
            reverse("teams:measure_svg", args=[t, m]),
            LOGIN,
            "member",
            None,
            "stranger",
        ),
        "teams:measure_mark": (
            reverse("teams:measure_mark", args=[t, m]),
            LOGIN,
            "leader",
            "member",
            "stranger",
        ),
        "teams:measure_delete": (
            reverse("teams:measure_delete", args=[t, m]),
            LOGIN,
            "leader",
            "member",
            "stranger",
        ),
        "teams:pdsa_create": (
            reverse("teams:pdsa_create", args=[t]),
            LOGIN,
            "leader",
            "member",
            "stranger",
        ),
        "teams:pdsa_edit": (
            reverse("teams:pdsa_edit", args=[t, w["cycle"].pk]),
            LOGIN,
            "leader",
            "member",
            "stranger",
        ),
        "reports:report": (
            reverse("reports:report", args=[t, p]),
            LOGIN,
            "leader",
            None,
            "stranger",
        ),
        "reports:report_pdf": (
            reverse("reports:report_pdf", args=[t, w["report"].pk]),
            LOGIN,
            "member",
            None,
            "stranger",
        ),
        "assessments:overview": (
            reverse("assessments:overview", args=[t]),
            LOGIN,
            "member",
            None,
            "stranger",
        ),
        "assessments:create": (
            reverse("assessments:create", args=[t]),
            LOGIN,
            "member",
            None,
            "stranger",
        ),
        # The unit corrects and deletes its rounds; the coordinator closes them.
        "assessments:edit": (
            reverse("assessments:edit", args=[t, w["round"].pk]),
            LOGIN,
            "member",
            "coordinator",
            "stranger",
        ),
        "assessments:delete": (
            reverse("assessments:delete", args=[t, w["round"].pk]),
            LOGIN,
            "member",
            "coordinator",
            "stranger",
        ),
        "reports:network_reports": (
            reverse("reports:network_reports", args=[n]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "reports:network_scores": (
            reverse("reports:network_scores", args=[n]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "reports:report_reopen": (
            reverse("reports:report_reopen", args=[n, w["report"].pk]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "sessions_app:follow_up": (
            reverse("sessions_app:follow_up", args=[n]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "sessions_app:follow_up_pdf": (
            reverse("sessions_app:follow_up_pdf", args=[n]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "sessions_app:follow_up_record": (
            reverse("sessions_app:follow_up_record", args=[n, w["follow_up_record"]]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "sessions_app:team_follow_up": (
            reverse("sessions_app:team_follow_up", args=[w["follow_up_token"]]),
            PUBLIC,
            None,
            None,
            None,
        ),
        "reports:export": (
            reverse("reports:export", args=[n, w["export"].pk]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "reports:export_file": (
            reverse("reports:export_file", args=[n, w["export"].pk]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "reports:network_measurements_csv": (
            reverse("reports:network_measurements_csv", args=[n]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "reports:network_reports_csv": (
            reverse("reports:network_reports_csv", args=[n]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "reports:network_xlsx": (
            reverse("reports:network_xlsx", args=[n]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "reports:network_measure": (
            reverse("reports:network_measure", args=[n, RecommendedMeasure.objects.first().pk]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "knowledge:knowledge_base": (
            reverse("knowledge:knowledge_base", args=[i]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        "sessions_app:session": (
            reverse("sessions_app:session", args=[w["learning"].sessions.first().pk]),
            LOGIN,
            "member",
            None,
            "outsider",
        ),
        "reminders:unsubscribe": (
            reverse("reminders:unsubscribe", args=[w["unsubscribe"]]),
            PUBLIC,
            None,
            None,
            None,
        ),
        "gatherings:figures": (
            reverse("gatherings:figures", args=[i]),
            LOGIN,
            "coordinator",
            "leader",
            "outsider",
        ),
        # The driver diagram: every member reads it; the team leader (and the
        # coordinator, tests/improvement/test_views.py) changes it.
        "improvement:diagram": (
            reverse("improvement:diagram", args=[t]),
            LOGIN,
            "member",
            None,
            "stranger",
        ),
        "improvement:aim": (
            reverse("improvement:aim", args=[t]),
            LOGIN,
            "leader",
            "member",
            "stranger",
        ),
        "improvement:driver_add": (
            reverse("improvement:driver_add", args=[t]),
            LOGIN,
            "leader",
            "member",
            "stranger",
        ),
        "improvement:driver_edit": (
            reverse("improvement:driver_edit", args=[t, w["driver"].pk]),
            LOGIN,
            "leader",
            "member",
            "stranger",
        ),
        "improvement:idea_add": (
            reverse("improvement:idea_add", args=[t]),
            LOGIN,
            "leader",
            "member",
            "stranger",
        ),
        "improvement:idea_edit": (
            reverse("improvement:idea_edit", args=[t, w["idea"].pk]),
            LOGIN,
            "leader",
            "member",
            "stranger",
        ),
        # The unit leader's pages: the unit leader and the coordinators; the team's
        # members have the team page (403); another unit's leader 404.
        "units:my_units": (reverse("units:my_units"), LOGIN, "coordinator", None, None),
        "units:unit": (
            reverse("units:unit", args=[t]),
            LOGIN,
            "unit_leader",
            "member",
            "other_unit_leader",
        ),
        "units:agreement_pdf": (
            reverse("units:agreement_pdf", args=[w["svolvaer"].pk]),
            LOGIN,
            "other_unit_leader",
            None,
            "unit_leader",
        ),
        # The board: the team, its unit leader and the coordinators see it; the
        # team's members and the coordinators change it, not the unit leader.
        "units:board": (
            reverse("units:board", args=[t]),
            LOGIN,
            "unit_leader",
            None,
            "other_unit_leader",
        ),
        "units:board_display": (
            reverse("units:board_display", args=[t]),
            LOGIN,
            "member",
            None,
            "other_unit_leader",
        ),
        "units:card_create": (
            reverse("units:card_create", args=[t]),
            LOGIN,
            "member",
            "unit_leader",
            "other_unit_leader",
        ),
        "units:card_edit": (
            reverse("units:card_edit", args=[t, w["card"].pk]),
            LOGIN,
            "coordinator",
            "unit_leader",
            "stranger",
        ),
    }


#: Actions that only take a POST (their GET answers 405), or a redirect by design.
ACTIONS = {
    "security:logout",
    "set_language",
    # The coordinator's POST actions of the progress scores and the follow-up call:
    # their refusals are in tests/reports/test_progress.py and
    # tests/sessions_app/test_follow_up.py.
    "reports:confirm_score",
    "sessions_app:follow_up_send",
    "sessions_app:follow_up_complete",
    "gatherings:cancel",
    "agreements:receipt",
    "reports:network_summary_pdf",
    "reports:export_retry",
    "favicon",
    # The e-mailed two-factor set-up link: opens (once) and redirects to the 2FA page;
    # anonymous, other users and used links are in tests/security/test_two_factor.py.
    "security:two_factor_enrol",
    # A registration's personal link: lets this browser into the network's knowledge
    # base and redirects there (tests/gatherings/test_participants.py).
    "knowledge:participant_link",
    # The driver diagram's buttons (POST only; who may press them:
    # tests/improvement/test_views.py and test_the_diagrams_buttons_below).
    "improvement:driver_remove",
    "improvement:driver_move",
    "improvement:idea_remove",
    "improvement:idea_move",
    "improvement:bundle_add",
    # A card's move: POST only; the board's tests (tests/units/test_board.py) and
    # test_moving_a_card_is_for_the_team_and_the_coordinators below.
    "units:card_move",
    # Closing and reopening a round: POST only, tested below.
    "assessments:close",
    "assessments:reopen",
}


def test_every_url_name_has_an_entry(world):
    assert url_names() - ACTIONS == set(walk_table(world))


def test_the_walk(client, world):
    failures = []
    for name, (path, anonymous, right, wrong, outsider) in walk_table(world).items():
        client.logout()
        answer = client.get(path)
        if anonymous == PUBLIC and answer.status_code != 200:
            failures.append((name, "anonymous", answer.status_code))
        if anonymous == HIDDEN and answer.status_code != 404:
            failures.append((name, "anonymous", answer.status_code))
        if anonymous == LOGIN and not (
            answer.status_code == 302 and "/konto/logg-inn/" in answer["Location"]
        ):
            failures.append((name, "anonymous", answer.status_code))
        for who, expected in ((right, 200), (wrong, 403), (outsider, 404)):
            if who is None:
                continue
            client.force_login(world[who])
            status = client.get(path).status_code
            if status != expected:
                failures.append((name, who, status))
    assert failures == []


def test_the_reopen_action_is_for_the_centres_coordinator_only(client, world):
    url = reverse("reports:report_reopen", args=[world["learning"].pk, world["report"].pk])
    data = {"reason": "Mangler målinger", "submitted_at": ""}
    client.force_login(world["leader"])
    assert client.post(url, data).status_code == 403
    client.force_login(world["outsider"])
    assert client.post(url, data).status_code == 404
    world["report"].refresh_from_db()
    assert world["report"].status == ReportStatus.SUBMITTED
    client.force_login(world["coordinator"])
    assert client.post(url, data).status_code == 302
    world["report"].refresh_from_db()
    assert world["report"].status == ReportStatus.DRAFT


def test_retrying_an_export_is_for_the_centres_coordinator_only(client, world):
    from reports.models import ExportStatus

    export = world["export"]
    Export = type(export)
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED)
    url = reverse("reports:export_retry", args=[world["learning"].pk, export.pk])
    client.force_login(world["leader"])
    assert client.post(url).status_code == 403
    client.force_login(world["outsider"])
    assert client.post(url).status_code == 404
    assert Export.objects.get(pk=export.pk).status == ExportStatus.FAILED
    client.force_login(world["coordinator"])
    assert client.post(url).status_code == 302
    assert Export.objects.get(pk=export.pk).status != ExportStatus.FAILED


def test_closing_a_round_is_for_the_centres_coordinator_only(client, world):
    from assessments.models import RoundStatus

    assessment = world["round"]
    url = reverse("assessments:close", args=[world["team"].pk, assessment.pk])
    reopen = reverse("assessments:reopen", args=[world["team"].pk, assessment.pk])
    for who, status in (("member", 403), ("leader", 403), ("stranger", 404), ("outsider", 404)):
        client.force_login(world[who])
        assert client.post(url).status_code == status, who
        assessment.refresh_from_db()
        assert assessment.status == RoundStatus.OPEN
    client.force_login(world["coordinator"])
    assert client.post(url).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == RoundStatus.CLOSED
    client.force_login(world["member"])
    assert client.post(reopen).status_code == 403
    client.force_login(world["coordinator"])
    assert client.post(reopen).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == RoundStatus.OPEN


def test_a_document_is_not_public_because_its_programme_is_published(client, world):
    """The participants and the coordinators have it; anyone else only if the
    coordinator made it public. Its address is a random key, not a number."""
    document = Document.objects.get(pk=world["document"].pk)
    url = reverse("knowledge:document", args=[document.key])
    assert str(document.pk) not in url.split("/")
    settings = gatherings.settings_for(world["gathering"])
    settings.programme_published_at = timezone.now()
    settings.save()
    assert client.get(url).status_code == 404
    assert client.get(f"/kunnskapsbank/dokument/{document.pk}/").status_code == 404
    client.force_login(world["outsider"])
    assert client.get(url).status_code == 404
    client.force_login(world["coordinator"])
    assert client.get(url).status_code == 200
    client.logout()
    Document.objects.filter(pk=document.pk).update(public=True)
    assert client.get(url).status_code == 200


def test_a_learning_networks_document_is_for_its_participants(client, world):
    document = knowledge.add_document(
        world["learning"], name="plan.pdf", data=b"%PDF-1.7 x", title="Tiltaksplan"
    )
    url = reverse("knowledge:document", args=[document.key])
    for who, status in (("member", 200), ("stranger", 200), ("leader", 200), ("outsider", 404)):
        client.force_login(world[who])
        assert client.get(url).status_code == status, who


def test_the_diagrams_buttons_answer_the_member_403_and_the_stranger_404(client, world):
    t = world["team"].pk
    driver, idea = world["driver"].pk, world["idea"].pk
    buttons = [
        reverse("improvement:driver_remove", args=[t, driver]),
        reverse("improvement:driver_move", args=[t, driver]),
        reverse("improvement:idea_remove", args=[t, idea]),
        reverse("improvement:idea_move", args=[t, idea]),
        reverse("improvement:bundle_add", args=[t]),
    ]
    for url in buttons:
        client.logout()
        assert client.post(url).status_code == 302  # to the login page
        for who, expected in (("member", 403), ("stranger", 404), ("outsider", 404)):
            client.force_login(world[who])
            assert client.post(url, {"direction": "up"}).status_code == expected, (url, who)


def test_moving_a_card_is_for_the_team_and_the_coordinators(client, world):
    card = world["card"]
    url = reverse("units:card_move", args=[world["team"].pk, card.pk])
    for who, status in (("unit_leader", 403), ("other_unit_leader", 404), ("outsider", 404)):
        client.force_login(world[who])
        assert client.post(url, {"to": "testing", "version": 1}).status_code == status
    card.refresh_from_db()
    assert card.column == "new"
    client.force_login(world["member"])
    assert client.post(url, {"to": "testing", "version": 1}).status_code == 302
    card.refresh_from_db()
    assert card.column == "testing"
