"""The signing flow end to end, through the test client."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from agreements import services
from agreements.models import Agreement, AgreementEvent, AgreementStatus, EventKind
from lib.tokens import hash_token, sha256_hex
from tests.agreements.conftest import link_from_outbox

pytestmark = pytest.mark.django_db

SIGNATURE = {
    "signer_name": "Marit Berg",
    "signer_title": "Enhetsleder",
    "top_manager_name": "Per Direktør",
    "top_manager_email": "per@kommune.no",
    "confirm": "on",
    "sign": "1",
}


def events(agreement):
    return list(AgreementEvent.objects.filter(agreement=agreement).values_list("kind", flat=True))


def sign_post(client, sent, **overrides):
    page = client.get(sent["path"])
    data = {**SIGNATURE, "document_sha256": page.context["digest"], **overrides}
    return client.post(
        sent["path"], data, HTTP_USER_AGENT="Mozilla/5.0 Testleser", REMOTE_ADDR="10.1.2.3"
    )


def test_every_learning_network_team_gets_an_agreement(signing_team):
    agreement = signing_team.agreement
    assert agreement.status == AgreementStatus.NOT_SENT
    assert agreement.reference.startswith("AVT-") and len(agreement.reference) == 12


def test_sending_emails_a_personal_link_and_stores_only_its_hash(sent):
    agreement = Agreement.objects.get(pk=sent["agreement"].pk)
    message = mail.outbox[-1]
    assert message.to == ["marit@kommune.no"]
    assert "Læringsnettverk fall 2026–2027" in message.subject
    assert "du er registrert som enhetsleder" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    token = sent["token"]
    assert len(token) >= 32  # 24 random bytes, base64: 192 bits
    assert agreement.token_hash == hash_token(token)
    assert token not in str(Agreement.objects.filter(pk=agreement.pk).values().get())
    assert agreement.status == AgreementStatus.SENT
    assert agreement.token_expires_at - agreement.sent_at == dt.timedelta(days=30)
    assert events(agreement) == [EventKind.SENT]


def test_the_page_shows_the_whole_agreement_and_logs_one_opening(client, sent):
    first = client.get(sent["path"])
    client.get(sent["path"])
    page = first.content.decode()
    for text in (
        "Forbedringsteamet deltar på de tre samlingene",
        "En person fra øverste ledelse deltar på siste samling",
        "telefonkonferanse et halvt år etter endt læringsnettverk",
        "Samling 3",
        "16. mars 2027",
        "Deltakeravgift per team",
        "kr 2\xa0500",
        "Jeg signerer på vegne av Leknes sykehjem, Vestvågøy",
    ):
        assert text in page, text
    agreement = Agreement.objects.get(pk=sent["agreement"].pk)
    assert agreement.status == AgreementStatus.OPENED
    assert events(agreement) == [EventKind.SENT, EventKind.OPENED]


def test_signing_end_to_end(client, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_post(client, sent)
    assert response.status_code == 302
    receipt = client.get(response["Location"]).content.decode()
    assert "Avtalen er signert" in receipt

    agreement = Agreement.objects.get(pk=sent["agreement"].pk)
    assert agreement.status == AgreementStatus.SIGNED
    assert (agreement.signer_name, agreement.signer_title, agreement.signer_email) == (
        "Marit Berg",
        "Enhetsleder",
        "marit@kommune.no",
    )
    assert (agreement.top_manager_name, agreement.top_manager_email) == (
        "Per Direktør",
        "per@kommune.no",
    )
    assert agreement.signed_at.utcoffset() == dt.timedelta(0)
    assert agreement.signer_ip == "10.1.2.3"
    assert agreement.signer_user_agent == "Mozilla/5.0 Testleser"
    assert agreement.document_sha256 == sha256_hex(agreement.document_html)
    assert "Leknes sykehjem" in agreement.document_html
    assert events(agreement) == [
        EventKind.SENT,
        EventKind.OPENED,
        EventKind.SIGNED,
        EventKind.DELIVERED,
    ]

    message = mail.outbox[-1]
    assert sorted(message.to) == ["kari@kommune.no", "koordinator@usht.no", "marit@kommune.no"]
    assert "Signert deltakeravtale" in message.subject
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == (f"{agreement.reference}.pdf", "application/pdf")
    assert agreement.pdf.read() == content

    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Deltakeravtale – Læringsnettverk fall 2026–2027" in flat
    assert "Revisjonsside" in flat and "Marit Berg, Enhetsleder" in flat
    assert "10.1.2.3" in flat
    assert agreement.document_sha256 in text.replace("\n", "").replace(" ", "")
    assert reader.trailer["/Root"]["/Lang"] == "nb"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]


def test_submitting_twice_signs_once(client, sent, django_capture_on_commit_callbacks):
    page = client.get(sent["path"])
    data = {**SIGNATURE, "document_sha256": page.context["digest"]}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(sent["path"], data)
        second = client.post(sent["path"], data)
    assert first.status_code == 302
    assert second.status_code == 410
    assert "Denne avtalen er allerede besvart" in second.content.decode()
    agreement = Agreement.objects.get(pk=sent["agreement"].pk)
    assert events(agreement).count(EventKind.SIGNED) == 1
    assert events(agreement).count(EventKind.DELIVERED) == 1
    assert len([m for m in mail.outbox if m.attachments]) == 1


def test_a_missing_field_is_shown_next_to_it_and_nothing_is_lost(client, sent):
    response = sign_post(client, sent, top_manager_email="ikke-en-adresse", confirm="")
    assert response.status_code == 200
    form = response.context["sign_form"]
    assert form.errors["top_manager_email"] == ["Oppgi en gyldig e-postadresse"]
    assert form.errors["confirm"] == ["Kryss av for å bekrefte at du signerer på vegne av enheten."]
    page = response.content.decode()
    assert 'value="Per Direktør"' in page and 'value="Enhetsleder"' in page
    assert 'href="#id_top_manager_email"' in page
    assert Agreement.objects.get(pk=sent["agreement"].pk).status == AgreementStatus.OPENED


def test_declining_records_the_reason(client, sent):
    missing = client.post(sent["path"], {"decline": "1", "reason": ""})
    assert "Skriv en kort begrunnelse" in missing.content.decode()
    response = client.post(sent["path"], {"decline": "1", "reason": "For lite bemanning"})
    assert response.status_code == 302
    assert "Du har avslått avtalen" in client.get(response["Location"]).content.decode()
    agreement = Agreement.objects.get(pk=sent["agreement"].pk)
    assert (agreement.status, agreement.decline_reason) == (
        AgreementStatus.DECLINED,
        "For lite bemanning",
    )
    assert events(agreement)[-1] == EventKind.DECLINED


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: "ukjent-lenke-som-ikke-finnes",
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # altered
        lambda token: token[:10],  # cut off
    ],
)
def test_an_unknown_or_altered_link_changes_nothing(client, sent, mangle):
    before = events(sent["agreement"])
    response = client.get(reverse("agreements:sign", args=[mangle(sent["token"])]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Lenken er ikke gyldig" in page
    assert "be koordinatoren" in page.lower()
    assert events(sent["agreement"]) == before


def test_an_expired_link_says_so_and_is_logged_once(client, sent, time_machine):
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(days=31))
    for _ in range(2):
        response = client.get(sent["path"])
        assert response.status_code == 410
        assert "Lenken er utløpt" in response.content.decode()
    posted = client.post(sent["path"], {**SIGNATURE, "document_sha256": "0" * 64})
    assert posted.status_code == 410
    agreement = Agreement.objects.get(pk=sent["agreement"].pk)
    assert agreement.status == AgreementStatus.EXPIRED
    assert events(agreement) == [EventKind.SENT, EventKind.EXPIRED]


def test_the_beat_task_expires_old_links(sent):
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=30, minutes=1)
    assert services.expire_links(later) == 1
    assert services.expire_links(later) == 0
    assert events(sent["agreement"]) == [EventKind.SENT, EventKind.EXPIRED]


def test_resending_replaces_the_link(client, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.send(sent["agreement"])
    new_url, new_token = link_from_outbox()
    assert new_token != sent["token"]
    assert client.get(sent["path"]).status_code == 404
    assert client.get(reverse("agreements:sign", args=[new_token])).status_code == 200
    assert events(sent["agreement"])[:2] == [EventKind.SENT, EventKind.RESENT]


def test_a_new_text_version_voids_open_links_but_not_signatures(
    client, sent, signing_team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_post(client, sent)
    signed = Agreement.objects.get(pk=sent["agreement"].pk)
    other = type(signing_team).objects.create(
        network=signing_team.network,
        municipality=signing_team.municipality,
        unit="Annen avdeling",
        unit_leader=signing_team.unit_leader,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.send(other.agreement)
    _url, other_token = link_from_outbox()

    fields = services.default_text_fields() | {"closing": "Ny sluttekst."}
    text = services.save_text_version(signing_team.network, **fields)

    assert text.version == 2
    other.agreement.refresh_from_db()
    assert other.agreement.status == AgreementStatus.VOIDED
    assert events(other.agreement)[-1] == EventKind.VOIDED
    assert client.get(reverse("agreements:sign", args=[other_token])).status_code == 404
    after = Agreement.objects.get(pk=signed.pk)
    assert (after.status, after.document_html, after.document_sha256) == (
        AgreementStatus.SIGNED,
        signed.document_html,
        signed.document_sha256,
    )
    with pytest.raises(services.AgreementError):
        services.send(after)


def test_a_document_changed_while_open_is_not_signed(client, sent):
    page = client.get(sent["path"])
    session = sent["team"].network.sessions.get(kind="gathering", number=3)
    session.starts_at += dt.timedelta(days=7)
    session.ends_at += dt.timedelta(days=7)
    session.save()
    response = client.post(sent["path"], {**SIGNATURE, "document_sha256": page.context["digest"]})
    assert response.status_code == 200
    assert "Avtalen ble endret mens den var åpen" in response.content.decode()
    assert 'value="Per Direktør"' in response.content.decode()
    assert Agreement.objects.get(pk=sent["agreement"].pk).status == AgreementStatus.OPENED


def test_events_are_append_only(sent):
    event = AgreementEvent.objects.filter(agreement=sent["agreement"]).first()
    event.detail = "endret"
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        event.delete()


def test_verification_says_match_or_no_match_and_nothing_else(
    client, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_post(client, sent)
    agreement = Agreement.objects.get(pk=sent["agreement"].pk)
    url = reverse("agreements:verify")
    match = client.get(
        url, {"reference": agreement.reference.lower(), "digest": agreement.document_sha256.upper()}
    ).content.decode()
    assert "De stemmer: dette er en signert avtale." in match
    assert "Leknes" not in match and "Marit" not in match
    wrong = client.get(url, {"reference": agreement.reference, "digest": "a" * 64})
    assert "Ingen treff" in wrong.content.decode()
    bad = client.get(url, {"reference": agreement.reference, "digest": "xyz"})
    assert bad.context["form"].errors["digest"] == ["Hashen har 64 tegn, 0–9 og a–f."]


def test_a_pasted_hash_broken_over_lines_still_verifies(
    client, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_post(client, sent)
    agreement = Agreement.objects.get(pk=sent["agreement"].pk)
    digest = agreement.document_sha256
    pasted = f" {digest[:32]}\n{digest[32:48]} {digest[48:]}\r\n"
    page = client.get(
        reverse("agreements:verify"), {"reference": agreement.reference, "digest": pasted}
    )
    assert page.context["result"] is True


def test_the_pdf_itself_verifies_and_an_altered_copy_does_not(
    client, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_post(client, sent)
    agreement = Agreement.objects.get(pk=sent["agreement"].pk)
    sent_pdf = next(
        content
        for message in mail.outbox
        for name, content, kind in message.attachments
        if name == f"{agreement.reference}.pdf"
    )
    # What was e-mailed is what was kept, and its fingerprint is stored.
    assert agreement.pdf.read() == sent_pdf
    assert agreement.pdf_sha256 == sha256_hex(sent_pdf)
    url = reverse("agreements:verify")
    upload = io.BytesIO(sent_pdf)
    upload.name = "avtale.pdf"
    page = client.post(url, {"pdf": upload})
    assert page.context["file_result"] == agreement
    assert f"den signerte avtalen {agreement.reference}" in page.content.decode()
    # One byte changed in the middle of the document: no match.
    altered = bytearray(sent_pdf)
    altered[len(altered) // 2] ^= 0x01
    upload = io.BytesIO(bytes(altered))
    upload.name = "avtale.pdf"
    page = client.post(url, {"pdf": upload})
    assert page.context["file_result"] is False
    assert "Ingen treff: denne filen er ikke en signert avtale" in page.content.decode()
    # No file: a message by the field.
    page = client.post(url, {})
    assert page.context["file_form"].errors["pdf"] == ["Velg PDF-en du vil sjekke."]


def test_the_receipt_offers_the_signed_pdf_once_it_is_made(
    client, sent, django_capture_on_commit_callbacks
):
    sign_post(client, sent)  # the delivery waits for the commit: no PDF yet
    receipt = client.get(reverse("agreements:receipt")).content.decode()
    assert "PDF-en lages" in receipt and 'data-poll="' in receipt
    assert client.get(reverse("agreements:receipt_pdf")).status_code == 404
    services.deliver_signed(sent["agreement"].pk)
    receipt = client.get(reverse("agreements:receipt")).content.decode()
    assert reverse("agreements:receipt_pdf") in receipt and "data-poll" not in receipt
    assert "Hva skjer nå" in receipt and reverse("security:login") in receipt
    download = client.get(reverse("agreements:receipt_pdf"))
    agreement = Agreement.objects.get(pk=sent["agreement"].pk)
    assert b"".join(download.streaming_content) == agreement.pdf.read()
    # Another browser has no receipt, and no PDF.
    client.cookies.clear()
    assert client.get(reverse("agreements:receipt_pdf")).status_code == 404
