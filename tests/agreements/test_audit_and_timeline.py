"""The signed PDF's audit page in Oslo time with the UTC offset, and the document's
timeline as the coordinator sees it in the admin."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements import services
from agreements.models import Agreement
from lib.tokens import sha256_hex
from sessions_app.models import SessionKind

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _sign_at(team, sent_at, signed_at):
    """Send and sign the team's agreement at the given moments (UTC)."""
    token = services.send(team.agreement, now=sent_at)
    agreement = Agreement.objects.get(pk=team.agreement.pk)
    services.sign(
        token,
        signer_name="Marit Berg",
        signer_title="Enhetsleder",
        top_manager_name="Per Direktør",
        top_manager_email="per@kommune.no",
        shown_sha256=sha256_hex(services.render_document(agreement)),
        ip="10.1.2.3",
        user_agent="Testleser",
        now=signed_at,
    )
    return Agreement.objects.get(pk=agreement.pk)


def _audit_text(agreement):
    reader = PdfReader(io.BytesIO(services.signed_pdf(agreement)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text[text.index("Revisjonsside") :]


@pytest.mark.parametrize(
    ("sent_at", "signed_at", "shown"),
    [
        # Winter time: Oslo is UTC+1.
        (
            dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
            dt.datetime(2026, 12, 2, 9, 15, tzinfo=UTC),
            ["01.12.2026 kl. 09:00 (UTC+01:00)", "02.12.2026 kl. 10:15 (UTC+01:00)"],
        ),
        # Summer time: UTC+2, and the day turns over at 22:00 UTC.
        (
            dt.datetime(2026, 6, 10, 21, 30, tzinfo=UTC),
            dt.datetime(2026, 6, 11, 6, 5, tzinfo=UTC),
            ["10.06.2026 kl. 23:30 (UTC+02:00)", "11.06.2026 kl. 08:05 (UTC+02:00)"],
        ),
    ],
    ids=["winter", "summer"],
)
def test_the_audit_page_shows_oslo_time_with_the_offset(signing_team, sent_at, signed_at, shown):
    agreement = _sign_at(signing_team, sent_at, signed_at)
    audit = " ".join(_audit_text(agreement).split())
    sent, signed = shown
    assert f"Signert (norsk tid) {signed}" in audit
    # The event log: sent, then signed, each with its offset.
    assert sent in audit and audit.index(sent) < audit.rindex(signed)
    assert "Tid (norsk tid)" in audit
    assert "UTC " not in audit and " UTC\n" not in audit  # no bare UTC times left
    assert len(re.findall(r"\(UTC\+0[12]:00\)", audit)) >= 3  # signed, sent, signed


def _timeline(html):
    table = re.search(r'class="table table-sm agreement-timeline">(.*?)</table>', html, re.S)
    return [
        re.sub(r"<[^>]+>", "", row).strip()
        for row in re.findall(r"<tr><td>(.*?)</td>", table.group(1), re.S)
    ]


def test_the_timeline_names_and_orders_the_sessions_as_the_admin_does(
    client, coordinator, signing_team
):
    network = signing_team.network
    second = network.sessions.get(kind=SessionKind.GATHERING, number=2)
    second.title = "Samling 2: fordypning og erfaringsdeling"
    second.save()
    # A phone conference at the same hour as the first gathering: the admin lists
    # them by time, then kind and number; so does the agreement.
    first = network.sessions.get(kind=SessionKind.GATHERING, number=1)
    call = network.sessions.get(kind=SessionKind.PHONE_CONFERENCE, number=1)
    call.starts_at, call.ends_at = first.starts_at, first.starts_at + dt.timedelta(hours=1)
    call.save()
    client.force_login(coordinator)
    admin_page = client.get(
        reverse("admin:network_network_change", args=[network.pk])
    ).content.decode()
    admin_names = re.findall(r'sessions_app/session/\d+/change/">([^<]+)</a></th>', admin_page)
    document = services.render_document(signing_team.agreement)
    assert _timeline(document) == admin_names
    assert "Samling 2: fordypning og erfaringsdeling" in admin_names
    assert admin_names.index("Samling 1") < admin_names.index("Telefonkonferanse 1")


def test_the_text_about_signing_before_the_start_goes_once_the_network_has_started(
    client, signing_team
):
    network = signing_team.network
    before = "Avtalen signeres før læringsnettverket starter."
    network.start_date = dt.date.today() + dt.timedelta(days=30)
    network.end_date = network.start_date + dt.timedelta(days=270)
    network.save()
    token = services.send(signing_team.agreement)
    page = client.get(reverse("agreements:sign", args=[token])).content.decode()
    assert before in page
    assert "Den viser at teamet forplikter seg til å gjennomføre læringsnettverket." in page
    network.start_date = dt.date.today()
    network.save()
    page = client.get(reverse("agreements:sign", args=[token])).content.decode()
    assert before not in page and "før læringsnettverket starter" not in page
    assert "Avtalen viser at teamet forplikter seg til å gjennomføre læringsnettverket." in page


def test_a_coordinators_own_closing_is_kept_and_only_the_sentence_goes(signing_team):
    network = signing_team.network
    text = services.save_text_version(
        network,
        **{
            **services.default_text_fields(),
            "closing": "Avtalen signeres før læringsnettverket starter. Ring oss ved spørsmål.",
        },
    )
    started = services.closing_for(text, network, today=network.start_date)
    assert started == "Ring oss ved spørsmål."
    ahead = services.closing_for(text, network, today=network.start_date - dt.timedelta(days=1))
    assert ahead == text.closing


def test_the_signed_pdfs_timeline_matches_the_signing_page(client, signing_team):
    agreement = _sign_at(
        signing_team,
        dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        dt.datetime(2026, 12, 2, 9, 15, tzinfo=UTC),
    )
    text = " ".join(
        " ".join(
            page.extract_text()
            for page in PdfReader(io.BytesIO(services.signed_pdf(agreement))).pages
        ).split()
    )
    for name in _timeline(agreement.document_html):
        assert name in text
    assert "før læringsnettverket starter" not in text  # the network began 1 Sep 2026
