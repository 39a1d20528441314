"""Reading agreements: which of them a sending would reach, and whom."""

from collections.abc import Iterable
from dataclasses import dataclass

from agreements.models import OPEN_STATES, Agreement, AgreementStatus
from network.models import Network

#: States from which "Send avtaler" on the network's page sends: never sent, or
#: a link that no longer works. An open link is resent only when chosen by hand.
UNSENT_STATES = (AgreementStatus.NOT_SENT, AgreementStatus.EXPIRED, AgreementStatus.VOIDED)


@dataclass(frozen=True)
class Planned:
    agreement: Agreement
    name: str
    email: str
    resend: bool


@dataclass(frozen=True)
class Refused:
    agreement: Agreement
    reason: str  # "signed", "declined", "no_leader", "open"


def sending_plan(
    agreements: Iterable[Agreement], *, resend_open: bool = True
) -> tuple[list[Planned], list[Refused]]:
    """Who a sending of ``agreements`` reaches (each unit leader, by name and
    address), and which it leaves out and why. Read with the team and its unit
    leader (``for_sending``)."""
    planned, refused = [], []
    for agreement in agreements:
        leader = agreement.team.unit_leader
        if agreement.status == AgreementStatus.SIGNED:
            refused.append(Refused(agreement, "signed"))
        elif agreement.status == AgreementStatus.DECLINED and not resend_open:
            refused.append(Refused(agreement, "declined"))
        elif agreement.status in OPEN_STATES and not resend_open:
            refused.append(Refused(agreement, "open"))
        elif leader is None or not leader.email:
            refused.append(Refused(agreement, "no_leader"))
        else:
            planned.append(
                Planned(agreement, leader.name, leader.email, resend=agreement.sent_at is not None)
            )
    return planned, refused


def for_sending(queryset):
    return queryset.select_related("team__unit_leader", "team__municipality").order_by(
        "team__municipality__name", "team__unit"
    )


def network_agreements(network: Network):
    """Every team's agreement in ``network``, as ``sending_plan`` reads them."""
    return for_sending(Agreement.objects.filter(team__network=network))
