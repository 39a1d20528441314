"""Writes and advice for improvement teams."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from teams.models import PATIENT_CONTACT, Role

RECOMMENDED_SIZE = range(2, 8)  # 2 to 7 members


def team_advice(members) -> list[str]:
    """Visible warnings for a team's make-up, from the guide for unit leaders.

    ``members`` is any iterable of objects with ``role`` and ``profession``:
    saved TeamMembers, or the cleaned rows of a form. These are advice, not
    rules: the hard rules (one team leader, a person once) are constraints.
    """
    members = list(members)
    advice = []
    if len(members) not in RECOMMENDED_SIZE:
        advice.append(
            ngettext(
                "The team has %(count)d member; 2 to 7 members are recommended.",
                "The team has %(count)d members; 2 to 7 members are recommended.",
                len(members),
            )
            % {"count": len(members)}
        )
    if members and not any(m.profession in PATIENT_CONTACT for m in members):
        advice.append(
            _("No member has a profession with patient contact. The professions that meet "
              "the patients should be represented on the team.")
        )
    roles = {m.role for m in members}
    if Role.TEAM_LEADER not in roles:
        advice.append(_("The team has no team leader."))
    if Role.MEASUREMENT_LEAD not in roles:
        advice.append(_("The team has no measurement lead."))
    return advice
