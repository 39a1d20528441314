"""Every state change of an agreement: texts, sending, opening, signing, declining.

Links carry a random token; only its SHA-256 is stored. A link works until it
is used (signed or declined), expires, or is voided by a new text version or
a new link. Every change writes an event in the same transaction.
"""

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agreements.models import (
    OPEN_STATES,
    Agreement,
    AgreementEvent,
    AgreementStatus,
    AgreementText,
    EventKind,
)
from lib import leases
from lib.conditional import update_if
from lib.dates import oslo_with_offset
from lib.emails import Attachment, message_id, send_email
from lib.pdf import render_pdf
from lib.tasks import queue_on_commit
from lib.tokens import hash_token, new_token, sha256_hex
from network.models import Network
from network.queries import coordinator_emails
from sessions_app.models import Session, SessionKind, SessionStatus
from teams.models import Role, Team


class AgreementError(Exception):
    """A request the agreement's state does not allow; the message says why."""


# --- Texts -------------------------------------------------------------------


def default_text_fields() -> dict[str, str]:
    """The agreement of the USHT guide, in Norwegian."""
    with translation.override("nb"):
        return {
            "introduction": _(
                "This agreement confirms that the municipality takes part in the learning "
                "network with an improvement team, and that the improvement work is anchored "
                "at the workplace."
            ),
            "municipality_commitments": "\n".join(
                [
                    _("The improvement team attends the three gatherings of the network."),
                    _(
                        "The improvement team gets time set aside to work on the interventions at "
                        "the workplace."
                    ),
                    _(
                        "The leader follows up status and results of the work and makes a plan for "
                        "further implementation after the network ends."
                    ),
                    _("A person from top management attends the last gathering."),
                ]
            ),
            "centre_commitments": "\n".join(
                [
                    _("USHT delivers the learning network as agreed."),
                    _(
                        "USHT follows up the improvement teams with a phone conference half a year "
                        "after the network ends."
                    ),
                ]
            ),
            "closing": f"{_(SIGNED_BEFORE_START)} {_(IT_SHOWS)}",
        }


#: The default closing, in two sentences; the first is left out of the document once
#: the network has started (``closing_for``). Together they are the text every
#: network's version 1 was saved with.
SIGNED_BEFORE_START = gettext_noop("The agreement is signed before the learning network starts.")
IT_SHOWS = gettext_noop("It shows that the team commits to completing the network.")
SHOWS_ALONE = gettext_noop("The agreement shows that the team commits to completing the network.")


def closing_for(text: AgreementText, network: Network, today: dt.date | None = None) -> str:
    """The text's closing as the document shows it: once the network has started, the
    sentence about signing before the start is gone (in the active language, nb)."""
    today = today or timezone.localdate()
    if network.start_date > today:
        return text.closing
    before, shows = _(SIGNED_BEFORE_START), _(IT_SHOWS)
    closing = text.closing.replace(f"{before} {shows}", _(SHOWS_ALONE))
    return re.sub(r" {2,}", " ", closing.replace(before, "")).strip()


def current_text(network: Network) -> AgreementText:
    """The newest text version of ``network``; version 1 is the default text."""
    text = network.agreement_texts.order_by("-version").first()
    if text is None:
        text, _created = AgreementText.objects.get_or_create(
            network=network, version=1, defaults=default_text_fields()
        )
    return text


@transaction.atomic
def save_text_version(
    network: Network, *, now: dt.datetime | None = None, **fields: Any
) -> AgreementText:
    """Save edited text as a new version and void every link still open.

    A signed agreement keeps the exact document it was signed on; an agreement
    sent on an older version must be sent again.
    """
    now = now or timezone.now()
    Network.objects.select_for_update().get(pk=network.pk)
    latest = network.agreement_texts.aggregate(v=Max("version"))["v"] or 0
    text = AgreementText.objects.create(network=network, version=latest + 1, **fields)
    open_agreements = Agreement.objects.select_for_update().filter(
        team__network=network, status__in=OPEN_STATES
    )
    for agreement in open_agreements:
        _void_link(
            agreement,
            now,
            _("The text changed to version %(version)d.") % {"version": text.version},
        )
    return text


def _void_link(agreement: Agreement, now: dt.datetime, detail: str) -> None:
    agreement.status = AgreementStatus.VOIDED
    agreement.token_hash = ""
    agreement.token_expires_at = None
    agreement.save(update_fields=["status", "token_hash", "token_expires_at"])
    _log(agreement, EventKind.VOIDED, now, detail)


def _log(agreement: Agreement, kind: EventKind, now: dt.datetime, detail: str = "") -> None:
    AgreementEvent.objects.create(agreement=agreement, kind=kind, at=now, detail=detail[:300])


# --- Agreements and links ------------------------------------------------------


def _new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "AVT-" + "".join(secrets.choice(alphabet) for _ in range(8))


def ensure_agreement(team: Team) -> Agreement:
    """The team's agreement, created (not sent) if it has none."""
    try:
        return team.agreement
    except Agreement.DoesNotExist:
        pass
    while True:
        reference = _new_reference()
        if not Agreement.objects.filter(reference=reference).exists():
            break
    agreement, _created = Agreement.objects.get_or_create(
        team=team, defaults={"reference": reference}
    )
    return agreement


def link_days() -> int:
    return getattr(settings, "AGREEMENT_LINK_DAYS", 30)


def send(
    agreement: Agreement, *, now: dt.datetime | None = None, expected_email: str | None = None
) -> str:
    """E-mail the unit leader a new personal signing link; returns the token.

    Sending again (a resend) replaces the old link, which stops working.
    ``expected_email``: the address the coordinator confirmed; if the team's unit
    leader has another one by now, nothing is sent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("team__unit_leader", "team__network__centre", "team__municipality")
            .get(pk=agreement.pk)
        )
        if agreement.status == AgreementStatus.SIGNED:
            raise AgreementError(
                _("%(team)s: the agreement is signed and cannot be sent again.")
                % {"team": agreement.team}
            )
        leader = agreement.team.unit_leader
        if leader is None or not leader.email:
            raise AgreementError(
                _("%(team)s: the team has no unit leader with an e-mail address.")
                % {"team": agreement.team}
            )
        if expected_email is not None and leader.email != expected_email:
            raise AgreementError(
                _(
                    "%(team)s: the unit leader changed after you confirmed (now %(email)s); "
                    "nothing was sent. Check the team and send again."
                )
                % {"team": agreement.team, "email": leader.email}
            )
        token, token_hash = new_token()
        kind = EventKind.RESENT if agreement.sent_at else EventKind.SENT
        agreement.text = current_text(agreement.team.network)
        agreement.status = AgreementStatus.SENT
        agreement.token_hash = token_hash
        agreement.token_expires_at = now + dt.timedelta(days=link_days())
        agreement.sent_at = now
        agreement.recipient_name = leader.name
        agreement.recipient_email = leader.email
        agreement.save(
            update_fields=[
                "text",
                "status",
                "token_hash",
                "token_expires_at",
                "sent_at",
                "recipient_name",
                "recipient_email",
            ]
        )
        _log(agreement, kind, now, leader.email)
        link = settings.SITE_URL + reverse("agreements:sign", args=[token])
        context = {
            "agreement": agreement,
            "team": agreement.team,
            "network": agreement.team.network,
            "link": link,
            "expires": agreement.token_expires_at,
        }
        transaction.on_commit(
            lambda: send_email(
                "agreement_request",
                context,
                [leader.email],
                reply_to=coordinator_emails(agreement.team.network) or None,
            )
        )
    return token


class LinkProblem(AgreementError):
    def __init__(self, reason: str, agreement: Agreement | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.agreement = agreement


def find_open(token: str, *, now: dt.datetime | None = None, for_update: bool = False) -> Agreement:
    """The agreement behind a link, or LinkProblem saying why the link is dead.

    Reasons: "unknown" (no such link: mistyped, altered, or replaced by a
    newer one), "used" (signed or declined), "expired".
    """
    now = now or timezone.now()
    if not token or len(token) > 100:
        raise LinkProblem("unknown")
    queryset = Agreement.objects.select_related(
        "team__network__centre", "team__municipality", "team__unit_leader", "text"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    agreement = queryset.filter(token_hash=hash_token(token)).first()
    if agreement is None:
        raise LinkProblem("unknown")
    if agreement.status in (AgreementStatus.SIGNED, AgreementStatus.DECLINED):
        raise LinkProblem("used", agreement)
    expires_at = agreement.token_expires_at  # always set on a sent link
    if agreement.status == AgreementStatus.EXPIRED or expires_at is None or expires_at <= now:
        raise LinkProblem("expired", agreement)
    if agreement.status not in OPEN_STATES:
        raise LinkProblem("unknown")
    return agreement


def note_expired(agreement: Agreement, *, now: dt.datetime | None = None) -> None:
    """Mark a link expired (once) when someone tries it after its time."""
    now = now or timezone.now()
    updated = update_if(
        Agreement, agreement.pk, {"status__in": OPEN_STATES}, status=AgreementStatus.EXPIRED
    )
    if updated:
        _log(agreement, EventKind.EXPIRED, now)


def expire_links(now: dt.datetime | None = None) -> int:
    """Beat: mark every link past its time as expired, with an event each."""
    now = now or timezone.now()
    count = 0
    stale = Agreement.objects.filter(status__in=OPEN_STATES, token_expires_at__lte=now)
    for agreement in stale.only("pk"):
        with transaction.atomic():
            if update_if(
                Agreement, agreement.pk, {"status__in": OPEN_STATES}, status=AgreementStatus.EXPIRED
            ):
                _log(agreement, EventKind.EXPIRED, now)
                count += 1
    return count


def record_open(agreement: Agreement, *, now: dt.datetime | None = None) -> None:
    """The first opening of a link moves the agreement to "opened"."""
    now = now or timezone.now()
    with transaction.atomic():
        if update_if(
            Agreement, agreement.pk, {"status": AgreementStatus.SENT}, status=AgreementStatus.OPENED
        ):
            _log(agreement, EventKind.OPENED, now)
            agreement.status = AgreementStatus.OPENED


# --- The document -------------------------------------------------------------------


@dataclass(frozen=True)
class Costs:
    gathering_hours: Decimal
    call_hours: Decimal
    weekly_hours: Decimal
    hours_per_member: Decimal
    members: int
    hourly_rate: Decimal
    release_cost_per_member: Decimal
    release_cost_team: Decimal
    fee: Decimal
    gatherings: int
    calls: int
    weeks: int


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def participation_costs(team: Team, text: AgreementText, sessions: Iterable[Session]) -> Costs:
    """Time per member and the estimated release-time cost, from the timeline."""
    network = team.network
    planned = [s for s in sessions if s.status != SessionStatus.CANCELLED]
    gatherings = sum(1 for s in planned if s.kind == SessionKind.GATHERING) or 3
    calls = sum(
        1 for s in planned if s.kind in (SessionKind.PHONE_CONFERENCE, SessionKind.PHONE_SESSION)
    )
    end = network.end_date or network.start_date + dt.timedelta(days=273)
    weeks = max((end - network.start_date).days // 7, 0)
    gathering_hours = gatherings * Decimal(str(network.gathering_hours))
    call_hours = calls * Decimal(str(network.phone_conference_hours))
    weekly_hours = (Decimal(network.weekly_minutes) * weeks / 60).quantize(Decimal("0.1"))
    per_member = gathering_hours + call_hours + weekly_hours
    members = team.members.count()
    return Costs(
        gathering_hours=gathering_hours,
        call_hours=call_hours,
        weekly_hours=weekly_hours,
        hours_per_member=per_member,
        members=members,
        hourly_rate=text.hourly_rate,
        release_cost_per_member=_money(per_member * text.hourly_rate),
        release_cost_team=_money(per_member * text.hourly_rate * members),
        fee=network.participation_fee,
        gatherings=gatherings,
        calls=calls,
        weeks=weeks,
    )


def document_context(agreement: Agreement, text: AgreementText | None = None) -> dict[str, Any]:
    team = agreement.team
    network = team.network
    text = text or agreement.text or current_text(network)
    # In the order of the network's timeline in the admin, named as the admin names
    # them (Session.__str__: the coordinator's title, or kind and number).
    sessions = list(network.sessions.order_by("starts_at", "kind", "number"))
    return {
        "agreement": agreement,
        "team": team,
        "network": network,
        "centre": network.centre,
        "text": text,
        "municipality_commitments": AgreementText.lines(text.municipality_commitments),
        "centre_commitments": AgreementText.lines(text.centre_commitments),
        "sessions": [s for s in sessions if s.status != SessionStatus.CANCELLED],
        "costs": participation_costs(team, text, sessions),
        "closing": closing_for(text, network),
    }


def render_document(agreement: Agreement, text: AgreementText | None = None) -> str:
    """The agreement as HTML, in Norwegian: the exact text that is signed."""
    with translation.override("nb"):
        return render_to_string(
            "agreements/document.html", document_context(agreement, text)
        ).strip()


# --- The top-management attendee -------------------------------------------------------


def name_top_manager(agreement: Agreement, *, name: str, email: str) -> Agreement:
    """The coordinator names (or changes) the person from top management who attends
    the last gathering; the unit leader may do so when signing. The row is locked, so
    that a signing at the same moment is not overwritten with a stale copy."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        locked.top_manager_name = name.strip()
        locked.top_manager_email = email.strip()
        # A save with the fields named: the reminders re-plan the last gathering.
        locked.save(update_fields=["top_manager_name", "top_manager_email"])
    return locked


# --- Signing and declining ---------------------------------------------------------------


def sign(
    token: str,
    *,
    signer_name: str,
    signer_title: str,
    top_manager_name: str,
    top_manager_email: str,
    shown_sha256: str,
    ip: str | None,
    user_agent: str,
    now: dt.datetime | None = None,
) -> Agreement:
    """Sign through a link. The link is used up; the document is frozen."""
    now = now or timezone.now()
    with transaction.atomic():
        agreement = find_open(token, now=now, for_update=True)
        document = render_document(agreement)
        digest = sha256_hex(document)
        if shown_sha256 != digest:
            raise AgreementError(
                _("The agreement changed while it was open. Read it again before you sign.")
            )
        agreement.status = AgreementStatus.SIGNED
        agreement.signer_name = signer_name
        agreement.signer_title = signer_title
        agreement.signer_email = agreement.recipient_email
        agreement.top_manager_name = top_manager_name
        agreement.top_manager_email = top_manager_email
        agreement.signed_at = now
        agreement.signer_ip = ip
        agreement.signer_user_agent = user_agent[:1000]
        agreement.document_html = document
        agreement.document_sha256 = digest
        # The row is locked; only what signing changes is written. The token hash
        # stays, so that the used link can say "already signed".
        agreement.save(
            update_fields=[
                "status",
                "signer_name",
                "signer_title",
                "signer_email",
                "top_manager_name",
                "top_manager_email",
                "signed_at",
                "signer_ip",
                "signer_user_agent",
                "document_html",
                "document_sha256",
            ]
        )
        _log(agreement, EventKind.SIGNED, now, signer_name)
        from agreements.tasks import deliver_signed

        queue_on_commit(deliver_signed, agreement.pk)
    return agreement


def decline(token: str, *, reason: str, now: dt.datetime | None = None) -> Agreement:
    now = now or timezone.now()
    with transaction.atomic():
        agreement = find_open(token, now=now, for_update=True)
        agreement.status = AgreementStatus.DECLINED
        agreement.declined_at = now
        agreement.decline_reason = reason
        agreement.save(update_fields=["status", "declined_at", "decline_reason"])
        _log(agreement, EventKind.DECLINED, now, reason)
    return agreement


# --- After signing ------------------------------------------------------------------------


def signed_pdf(agreement: Agreement) -> bytes:
    """The signed document followed by its audit page."""
    with translation.override("nb"):
        context = {
            "agreement": agreement,
            "document": agreement.document_html,
            # Oslo time with the offset: "02.12.2026 kl. 10:15 (UTC+01:00)".
            "signed_at": oslo_with_offset(agreement.signed_at) if agreement.signed_at else "–",
            "events": [(event, oslo_with_offset(event.at)) for event in agreement.events.all()],
            "verify_url": settings.SITE_URL + reverse("agreements:verify"),
        }
        return render_pdf("agreements/signed_pdf.html", context)


def recipients(agreement: Agreement) -> list[str]:
    """The unit leader, the team leader and the network's coordinators."""
    team = agreement.team
    leaders = team.members.filter(role=Role.TEAM_LEADER).exclude(person__email="")
    emails = [
        agreement.recipient_email,
        *leaders.values_list("person__email", flat=True),
        *coordinator_emails(team.network),
    ]
    return list(dict.fromkeys(e for e in emails if e))


def deliver_signed(agreement_id: int, *, now: dt.datetime | None = None) -> bool:
    """Render the signed PDF, keep it and e-mail it; once per agreement. The worker
    holds the delivery lease; one that dies leaves it to run out, and
    ``deliver_pending`` takes the agreement again."""
    now = now or timezone.now()
    waiting = {"status": AgreementStatus.SIGNED, "delivered_at__isnull": True}
    if not leases.claim(Agreement, agreement_id, "delivery_lease_until", now, waiting):
        return False
    agreement = Agreement.objects.select_related("team__network__centre").get(pk=agreement_id)
    try:
        if agreement.pdf:  # made before a worker died: the same bytes again
            with agreement.pdf.open("rb") as stored:
                pdf = stored.read()
        else:
            pdf = signed_pdf(agreement)
            agreement.pdf.save(f"{agreement.reference}.pdf", ContentFile(pdf), save=False)
            agreement.pdf_sha256 = sha256_hex(pdf)
            agreement.save(update_fields=["pdf", "pdf_sha256"])
        to = recipients(agreement)
        send_email(
            "agreement_signed",
            {"agreement": agreement, "team": agreement.team, "network": agreement.team.network},
            to,
            attachments=(Attachment(f"{agreement.reference}.pdf", pdf, "application/pdf"),),
            headers={"Message-ID": message_id("agreement", agreement.reference)},
        )
    except Exception:
        # Give the lease back so that a retry or the sweep can deliver it.
        Agreement.objects.filter(pk=agreement_id).update(delivery_lease_until=None)
        raise
    Agreement.objects.filter(pk=agreement_id).update(delivered_at=now, delivery_lease_until=None)
    _log(agreement, EventKind.DELIVERED, now, ", ".join(to))
    return True


def deliver_pending(now: dt.datetime | None = None) -> int:
    """Deliver every signed agreement whose PDF has not gone out and that no live
    worker holds (the broker was down at the signature, or a worker died)."""
    now = now or timezone.now()
    waiting = (
        Agreement.objects.filter(status=AgreementStatus.SIGNED, delivered_at__isnull=True)
        .filter(leases.free("delivery_lease_until", now))
        .order_by("signed_at")
        .values_list("pk", flat=True)
    )
    return sum(deliver_signed(pk, now=now) for pk in list(waiting[:200]))


def verify_pdf(data: bytes) -> Agreement | None:
    """The signed agreement whose PDF is exactly these bytes, if any."""
    return (
        Agreement.objects.filter(pdf_sha256=sha256_hex(data), status=AgreementStatus.SIGNED)
        .exclude(pdf_sha256="")
        .first()
    )


def verify(reference: str, digest: str) -> bool:
    """Does this reference and hash belong to a signed agreement? Nothing more."""
    return Agreement.objects.filter(
        reference=reference.strip().upper(),
        document_sha256=digest.strip().lower(),
        status=AgreementStatus.SIGNED,
    ).exists()


# --- Erasure ---------------------------------------------------------------------


def forget_recipient(centre_id: int, email: str, *, now: dt.datetime | None = None) -> int:
    """An erased person's open signing links at ``centre_id`` stop working and lose
    the address they were sent to (``network.services.erase_person``). A signed or
    declined agreement is left as it is: a record of the parties. Each agreement is
    locked. Answers how many links were voided."""
    if not email:
        return 0
    now = now or timezone.now()
    voided = 0
    for agreement in Agreement.objects.select_for_update(of=("self",)).filter(
        team__network__centre=centre_id, recipient_email__iexact=email, status__in=OPEN_STATES
    ):
        _void_link(agreement, now, "the recipient's personal data was erased")
        agreement.recipient_name = agreement.recipient_email = ""
        agreement.save(update_fields=["recipient_name", "recipient_email"])
        voided += 1
    return voided
