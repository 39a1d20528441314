import html
import re

import pytest
from django.core import mail
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, AgreementStatus, AgreementText
from sessions_app.services import propose_timeline
from tests.factories import NetworkFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(centre):
    network = NetworkFactory(centre=centre, title="Læringsnettverk trykksår")
    leader = PersonFactory(centre=centre, email="leder@kommune.no")
    return network, [TeamFactory(network=network, unit_leader=leader) for _ in range(3)]


def hidden_fields(page):
    """The hidden inputs of a confirmation page's form, as the browser posts them."""
    return [
        (name, html.unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
        if name != "csrfmiddlewaretoken"
    ]


def test_coordinator_sends_many_agreements_at_once(
    client, coordinator, teams, django_capture_on_commit_callbacks
):
    network, team_list = teams
    no_leader = TeamFactory(network=network, unit="Uten leder")
    client.force_login(coordinator)
    ids = [t.agreement.pk for t in team_list] + [no_leader.agreement.pk]
    changelist = reverse("admin:agreements_agreement_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(changelist, {"action": "send_agreements", "_selected_action": ids})
    # First the confirmation: each recipient by name and e-mail, and what they get.
    page = asked.content.decode()
    assert "Sende avtalene?" in page and "3 mottakere" in page
    assert page.count("<td>leder@kommune.no</td>") == 3
    assert f"En personlig lenke for å signere deltakeravtalen for {team_list[0]}." in page
    assert f"{no_leader}: teamet har ingen enhetsleder med e-postadresse" in page
    assert f'href="{changelist}" class="button cancel-link">Avbryt</a>' in page
    assert "Ja, send 3 avtaler" in page
    assert mail.outbox == []  # nothing sent before it is confirmed
    assert not Agreement.objects.filter(status=AgreementStatus.SENT).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, dict_of(hidden_fields(page)), follow=True)
    assert "Sendte 3 signeringslenker." in response.content.decode()
    assert len(mail.outbox) == 3
    assert Agreement.objects.filter(status=AgreementStatus.SENT).count() == 3


def dict_of(pairs):
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def test_a_unit_leader_changed_after_the_confirmation_gets_nothing(
    client, coordinator, teams, centre, django_capture_on_commit_callbacks
):
    _network, team_list = teams
    client.force_login(coordinator)
    changelist = reverse("admin:agreements_agreement_changelist")
    team = team_list[0]
    asked = client.post(
        changelist, {"action": "send_agreements", "_selected_action": [team.agreement.pk]}
    ).content.decode()
    team.unit_leader = PersonFactory(centre=centre, email="ny.leder@kommune.no")
    team.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, dict_of(hidden_fields(asked)), follow=True)
    assert "enhetslederen ble endret etter at du bekreftet (nå ny.leder@kommune.no)" in (
        response.content.decode()
    )
    assert mail.outbox == []
    team.agreement.refresh_from_db()
    assert team.agreement.status == AgreementStatus.NOT_SENT


def test_the_network_overview_shows_each_teams_agreement_state(client, coordinator, teams):
    network, team_list = teams
    propose_timeline(network)
    services.send(team_list[0].agreement)
    client.force_login(coordinator)
    response = client.get(reverse("reports:network_reports", args=[network.pk]))
    assert response.context["agreements"] == [("not_sent", "Ikke sendt", 2), ("sent", "Sendt", 1)]
    page = response.content.decode()
    changelist = reverse("admin:agreements_agreement_changelist")
    assert (
        f'href="{changelist}?team__network__id__exact={network.pk}&amp;status__exact=sent"'
        f">Sendt: 1</a>"
    ) in page
    sent = reverse("admin:agreements_agreement_change", args=[team_list[0].agreement.pk])
    assert f'<a href="{sent}">Sendt</a>' in page
    assert page.count(">Ikke sendt</a></td>") == 2
    # The filtered list the summary links to answers.
    response = client.get(f"{changelist}?team__network__id__exact={network.pk}&status__exact=sent")
    assert [a.team for a in response.context["cl"].result_list] == [team_list[0]]


def test_outsiders_see_no_agreements_and_get_404(client, outsider, teams):
    _network, team_list = teams
    agreement = team_list[0].agreement
    client.force_login(outsider)
    response = client.get(reverse("admin:agreements_agreement_changelist"))
    assert list(response.context["cl"].result_list) == []
    for name in ("admin:agreements_agreement_change", "admin:agreements_agreement_pdf"):
        assert client.get(reverse(name, args=[agreement.pk])).status_code == 404


def test_the_signed_pdf_downloads_from_the_admin(client, coordinator, teams):
    _network, team_list = teams
    agreement = team_list[0].agreement
    client.force_login(coordinator)
    url = reverse("admin:agreements_agreement_pdf", args=[agreement.pk])
    assert client.get(url).status_code == 404  # nothing signed yet
    agreement.pdf.save("x.pdf", __import__("io").BytesIO(b"%PDF-1.7 test"), save=True)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert f'filename="{agreement.reference}.pdf"' in response["Content-Disposition"]


def test_a_signed_agreement_cannot_be_edited_in_the_admin(client, coordinator, teams):
    _network, team_list = teams
    agreement = team_list[0].agreement
    client.force_login(coordinator)
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    page = client.get(url).content.decode()
    assert 'name="signer_name"' not in page  # shown read-only
    client.post(url, {"signer_name": "Forfalsket"})
    agreement.refresh_from_db()
    assert agreement.signer_name == ""


def test_editing_the_text_saves_a_new_version_and_voids_links(client, coordinator, teams):
    network, team_list = teams
    services.send(team_list[0].agreement)
    client.force_login(coordinator)
    add = reverse("admin:agreements_agreementtext_add")
    form = client.get(add, {"network": network.pk})
    initial = form.context["adminform"].form.initial
    assert "Forbedringsteamet deltar" in initial["municipality_commitments"]
    response = client.post(
        add,
        {
            **{
                k: initial[k]
                for k in (
                    "introduction",
                    "municipality_commitments",
                    "centre_commitments",
                    "hourly_rate",
                )
            },
            "closing": "Endret sluttekst.",
            "network": network.pk,
        },
        follow=True,
    )
    assert "Lagret som versjon 2." in response.content.decode()
    assert list(
        AgreementText.objects.filter(network=network).values_list("version", flat=True)
    ) == [2, 1]
    team_list[0].agreement.refresh_from_db()
    assert team_list[0].agreement.status == AgreementStatus.VOIDED


def test_an_outsider_cannot_start_from_another_networks_text(client, outsider, teams):
    network, _teams = teams
    client.force_login(outsider)
    form = client.get(reverse("admin:agreements_agreementtext_add"), {"network": network.pk})
    assert "Forbedringsteamet deltar" not in form.content.decode()
    assert network.title not in form.content.decode()
