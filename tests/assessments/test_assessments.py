import datetime as dt
import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Assessment
from teams.models import Role
from tests.factories import PersonFactory, TeamFactory, TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def round_data(label, date, rating):
    data = {"label": label, "held_on": date}
    for number in range(1, 10):
        data[f"rating_{number}"] = str(rating if number != 5 else 1)
        data[f"comment_{number}"] = f"Kommentar {number}" if number == 2 else ""
    return data


@pytest.fixture
def member(team):
    return TeamMemberFactory(team=team, role=Role.MEMBER, person__user=UserFactory()).person.user


def test_rounds_are_recorded_and_compared(client, team, member):
    client.force_login(member)
    url = reverse("assessments:create", args=[team.pk])
    assert client.post(url, round_data("Oppstart", "2026-09-01", 2)).status_code == 302
    assert client.post(url, round_data("Avslutning", "2027-05-20", 4)).status_code == 302
    page = client.get(reverse("assessments:overview", args=[team.pk])).content.decode()
    assert "Oppstart" in page and "Avslutning" in page
    assert "<svg" in page and 'role="img"' in page
    assert "Kommentar 2" in page
    assert "1: Oppstart (01.09.2026) 2, Avslutning (20.05.2027) 4" in page
    assert Assessment.objects.count() == 2


def test_a_missing_rating_is_shown_and_the_rest_kept(client, team, member):
    client.force_login(member)
    data = round_data("Oppstart", "2026-09-01", 3)
    del data["rating_7"]
    response = client.post(reverse("assessments:create", args=[team.pk]), data)
    assert response.context["form"].errors["rating_7"] == ["Velg et nivå for denne påstanden."]
    assert 'value="Oppstart"' in response.content.decode()
    assert not Assessment.objects.exists()


def test_only_the_unit_and_its_coordinator_see_the_results(
    client, team, network, coordinator, outsider
):
    other_member = TeamMemberFactory(
        team=TeamFactory(network=network), person__user=UserFactory()
    ).person.user
    url = reverse("assessments:overview", args=[team.pk])
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    team.unit_leader = TeamMemberFactory(team=team, person__user=UserFactory()).person
    team.save()
    client.force_login(team.unit_leader.user)
    assert client.get(url).status_code == 200


# -- The comparison: a table of the scores, with the change ---------------------


def _round(team, label, date, ratings, comment=""):
    return services.record(
        team,
        label=label,
        held_on=dt.date.fromisoformat(date),
        answers=[(n, ratings[n - 1], comment) for n in range(1, 10)],
    )


def _table_rows(page):
    """The score table's rows as text cells: [[statement, score…, change]]."""
    table = re.search(r'<table class="[^"]*sof-scores">(.*?)</table>', page, re.S).group(1)
    cells = r"<t[hd][^>]*>(.*?)</t[hd]>"
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(cells, row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]


def test_the_comparison_tables_the_scores_per_statement_and_round_with_the_change(
    client, team, member
):
    _round(team, "Oppstart", "2026-09-01", [1, 2, 3, 4, 1, 2, 3, 4, 2])
    _round(team, "Midtveis", "2027-01-10", [2, 2, 3, 3, 1, 2, 3, 4, 2])
    _round(team, "Avslutning", "2027-05-20", [3, 2, 4, 3, 4, 2, 3, 4, 1])
    client.force_login(member)
    page = client.get(reverse("assessments:overview", args=[team.pk])).content.decode()
    rows = _table_rows(page)
    assert rows[0] == [
        "Påstand",
        "Oppstart (01.09.2026)",
        "Midtveis (10.01.2027)",
        "Avslutning (20.05.2027)",
        "Endring fra første til siste runde",
    ]
    assert rows[1][0].startswith("1. Erfaringer og opplevelser")
    assert rows[1][1:] == ["1", "2", "3", "+2"]
    assert rows[4][1:] == ["4", "3", "3", "\u22121"]  # a minus sign
    assert rows[2][1:] == ["2", "2", "2", "0"]
    assert rows[9][1:] == ["2", "2", "1", "\u22121"]
    # The average: 22/9 = 2,4; 22/9 = 2,4; 26/9 = 2,9.
    assert rows[10] == ["Gjennomsnitt", "2,4", "2,4", "2,9", "+0,5"]


def test_one_round_has_no_change_column(client, team, member):
    _round(team, "Oppstart", "2026-09-01", [2] * 9)
    client.force_login(member)
    page = client.get(reverse("assessments:overview", args=[team.pk])).content.decode()
    rows = _table_rows(page)
    assert rows[0] == ["Påstand", "Oppstart (01.09.2026)"]
    assert rows[10] == ["Gjennomsnitt", "2"]


def test_the_legend_is_html_beneath_the_chart_not_text_in_it(client, team, member):
    """Long round names wrap in a list; the SVG has no legend text to overlap."""
    long = "Oppstart av læringsnettverket for hele avdelingen, med alle ansatte til stede"
    _round(team, long, "2026-09-01", [2] * 9)
    _round(team, "Slutt", "2027-05-20", [3] * 9)
    client.force_login(member)
    page = client.get(reverse("assessments:overview", args=[team.pk])).content.decode()
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert long not in re.sub(r"<desc.*?</desc>", "", svg, flags=re.S)
    legend = re.search(r'<ul class="list-unstyled sof-legend".*?</ul>', page, re.S).group(0)
    assert re.findall(r"sof-swatch-(\d)", legend) == ["0", "1"]
    assert f"{long} (01.09.2026)" in legend and "Slutt (20.05.2027)" in legend


def test_the_chart_draws_four_rounds_and_the_table_has_them_all(client, team, member):
    for index in range(5):
        _round(team, f"Runde {index + 1}", f"2026-0{index + 1}-01", [index % 4 + 1] * 9)
    client.force_login(member)
    page = client.get(reverse("assessments:overview", args=[team.pk])).content.decode()
    legend = re.search(r'<ul class="list-unstyled sof-legend".*?</ul>', page, re.S).group(0)
    assert "Runde 1" not in legend and "Runde 5" in legend
    assert _table_rows(page)[0][1] == "Runde 1 (01.01.2026)"
    assert "Diagrammet viser de fire siste rundene" in page


# -- Correcting and deleting, until the coordinator closes ----------------------


def test_the_unit_corrects_an_open_round(client, team, member):
    assessment = _round(team, "Oppstart", "2026-09-01", [2] * 9)
    client.force_login(member)
    url = reverse("assessments:edit", args=[team.pk, assessment.pk])
    form = client.get(url).content.decode()
    assert 'value="Oppstart"' in form and 'name="version" value="1"' in form
    data = round_data("Oppstart (rettet)", "2026-09-02", 3) | {"version": "1"}
    assert client.post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.label, assessment.held_on, assessment.version) == (
        "Oppstart (rettet)",
        dt.date(2026, 9, 2),
        2,
    )
    ratings = dict(assessment.answers.values_list("statement", "rating"))
    assert ratings == {n: 3 if n != 5 else 1 for n in range(1, 10)}
    assert assessment.answers.get(statement=2).comment == "Kommentar 2"


def test_a_correction_with_a_missing_level_keeps_what_was_typed(client, team, member):
    assessment = _round(team, "Oppstart", "2026-09-01", [2] * 9)
    client.force_login(member)
    data = round_data("Ny tekst", "2026-09-01", 3) | {"version": "1"}
    del data["rating_4"]
    response = client.post(reverse("assessments:edit", args=[team.pk, assessment.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["rating_4"] == ["Velg et nivå for denne påstanden."]
    assert 'value="Ny tekst"' in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.label == "Oppstart" and assessment.version == 1


def test_a_stale_correction_after_the_coordinator_closed_the_round_is_refused(
    client, team, member, coordinator
):
    assessment = _round(team, "Oppstart", "2026-09-01", [2] * 9)
    url = reverse("assessments:edit", args=[team.pk, assessment.pk])
    client.force_login(member)
    assert 'name="version" value="1"' in client.get(url).content.decode()  # opened
    client.force_login(coordinator)
    close = reverse("assessments:close", args=[team.pk, assessment.pk])
    assert client.post(close).status_code == 302
    client.force_login(member)
    data = round_data("Skrevet etterpå", "2026-09-01", 4) | {"version": "1"}
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Koordinatoren har lukket denne runden" in page
    assert 'value="Skrevet etterpå"' in page  # nothing typed is lost
    assessment.refresh_from_db()
    assert assessment.label == "Oppstart" and assessment.is_closed
    assert set(assessment.answers.values_list("rating", flat=True)) == {2}
    # The closed round is shown without a way to save or delete it.
    shown = client.get(url).content.decode()
    assert "Lagre rettelsene" not in shown and "kan ikke lenger endres" in shown
    overview = client.get(reverse("assessments:overview", args=[team.pk])).content.decode()
    assert "Lukket " in overview
    assert reverse("assessments:edit", args=[team.pk, assessment.pk]) not in overview


def test_a_correction_made_from_an_older_version_is_refused(client, team, member):
    """Two members correct the same round: the second, opened before the first
    saved, is refused rather than writing over the first."""
    assessment = _round(team, "Oppstart", "2026-09-01", [2] * 9)
    url = reverse("assessments:edit", args=[team.pk, assessment.pk])
    client.force_login(member)
    first = round_data("Første rettelse", "2026-09-01", 3) | {"version": "1"}
    assert client.post(url, first).status_code == 302
    second = round_data("Andre rettelse", "2026-09-01", 4) | {"version": "1"}
    page = client.post(url, second).content.decode()
    assert "Noen andre lagret denne runden" in page and 'value="Andre rettelse"' in page
    assessment.refresh_from_db()
    assert assessment.label == "Første rettelse" and assessment.version == 2


def test_the_unit_deletes_an_open_round_after_confirming(client, team, member):
    assessment = _round(team, "Oppstart", "2026-09-01", [2] * 9)
    kept = _round(team, "Avslutning", "2027-05-20", [3] * 9)
    client.force_login(member)
    url = reverse("assessments:delete", args=[team.pk, assessment.pk])
    confirm = client.get(url).content.decode()
    assert "Slette runden «Oppstart (01.09.2026)»?" in confirm
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    assert client.post(url).status_code == 302
    assert list(Assessment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Answer.objects.filter(assessment_id=assessment.pk).exists()


def test_a_closed_round_is_not_deleted(client, team, member, coordinator):
    assessment = _round(team, "Oppstart", "2026-09-01", [2] * 9)
    services.close(assessment)
    client.force_login(member)
    response = client.post(reverse("assessments:delete", args=[team.pk, assessment.pk]))
    assert response.status_code == 409
    assert "kan ikke lenger slettes" in response.content.decode()
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_the_coordinator_closes_and_reopens_but_does_not_correct(client, team, member, coordinator):
    assessment = _round(team, "Oppstart", "2026-09-01", [2] * 9)
    client.force_login(coordinator)
    overview = client.get(reverse("assessments:overview", args=[team.pk])).content.decode()
    assert "Lukk runden" in overview and "Rett<" not in overview
    edit = reverse("assessments:edit", args=[team.pk, assessment.pk])
    assert client.get(edit).status_code == 403
    delete = reverse("assessments:delete", args=[team.pk, assessment.pk])
    assert client.post(delete).status_code == 403
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    client.post(reverse("assessments:close", args=[team.pk, assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.is_closed and assessment.closed_at is not None
    client.post(reverse("assessments:reopen", args=[team.pk, assessment.pk]))
    assessment.refresh_from_db()
    assert not assessment.is_closed and assessment.closed_at is None
    # A page opened before the close and reopen is still out of date.
    client.force_login(member)
    data = round_data("Gammel side", "2026-09-01", 4) | {"version": "1"}
    page = client.post(reverse("assessments:edit", args=[team.pk, assessment.pk]), data)
    assert "Noen andre lagret denne runden" in page.content.decode()


def test_the_services_refuse_a_closed_round(team):
    assessment = _round(team, "Oppstart", "2026-09-01", [2] * 9)
    assert services.close(assessment) is True
    assert services.close(assessment) is False
    with pytest.raises(services.RoundClosed):
        services.correct(assessment, version=1, label="x", held_on=dt.date(2026, 9, 1), answers=[])
    with pytest.raises(services.RoundClosed):
        services.delete(assessment)
    assert assessment.answers.count() == 9


def test_the_unit_leader_corrects_and_another_team_cannot_reach_the_round(client, team, network):
    assessment = _round(team, "Oppstart", "2026-09-01", [2] * 9)
    team.unit_leader = PersonFactory(centre=network.centre, user=UserFactory())
    team.save()
    client.force_login(team.unit_leader.user)
    url = reverse("assessments:edit", args=[team.pk, assessment.pk])
    assert client.get(url).status_code == 200
    other = TeamFactory(network=network)
    elsewhere = TeamMemberFactory(team=other, person__user=UserFactory()).person.user
    client.force_login(elsewhere)
    assert client.get(url).status_code == 404
    # Nor through the address of their own team.
    elsewhere_url = reverse("assessments:edit", args=[other.pk, assessment.pk])
    assert client.get(elsewhere_url).status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_correction_that_meets_a_close_in_flight_waits_and_is_refused(team):
    """The coordinator's close holds the row; the unit's correction, sent meanwhile,
    waits for it and is then refused, not written into the closed round."""
    import threading

    from django.db import connection, transaction
    from django_scopes import scope

    assessment = _round(team, "Oppstart", "2026-09-01", [2] * 9)
    closed, outcome = threading.Event(), []

    def correct():
        closed.wait()
        try:
            with scope(centre=[team.network.centre_id]):
                services.correct(
                    assessment,
                    version=1,
                    label="Rettet for sent",
                    held_on=dt.date(2026, 9, 1),
                    answers=[(n, 4, "") for n in range(1, 10)],
                )
            outcome.append("written")
        except services.RoundClosed:
            outcome.append("refused")
        finally:
            connection.close()

    worker = threading.Thread(target=correct)
    worker.start()
    with transaction.atomic():
        assert services.close(assessment)
        closed.set()
        worker.join(timeout=1)
        assert worker.is_alive()  # the correction waits for the close's commit
    worker.join(timeout=10)
    assert outcome == ["refused"]
    assessment.refresh_from_db()
    assert assessment.is_closed and assessment.label == "Oppstart"
    assert set(assessment.answers.values_list("rating", flat=True)) == {2}
