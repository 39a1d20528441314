"""Where a network stands: the checklist on its admin page, each step linked to
where it is done, and what is missing when it is not.

Read in one query: the network's row with a correlated subquery per figure (teams
without a unit leader, agreements signed, gatherings held without attendance …),
so the page costs the same whatever the size of the network or of the centre.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.models import Agreement, AgreementStatus, AgreementText
from agreements.queries import UNSENT_STATES
from network.models import Network
from reports.models import ReportPeriod
from sessions_app.models import Attendance, Session, SessionKind, SessionStatus
from teams.models import Team, TeamMember

DONE, TODO, LATER = "done", "todo", "later"


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    state: str  # DONE, TODO (something is missing) or LATER (not due yet)
    detail: str
    url: str
    link_text: str

    @property
    def done(self) -> bool:
        return self.state == DONE


def _count(queryset, group: str):
    """How many rows of ``queryset`` (filtered on OuterRef) there are, as a subquery."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def standing(network: Network, now: dt.datetime | None = None) -> Network:
    """``network`` again, with the figures the checklist needs as attributes."""
    now = now or timezone.now()
    teams = Team._base_manager.filter(network=OuterRef("pk"))
    agreements = Agreement._base_manager.filter(team__network=OuterRef("pk"))
    gatherings = Session._base_manager.filter(
        network=OuterRef("pk"), kind=SessionKind.GATHERING
    ).exclude(status=SessionStatus.CANCELLED)
    unrecorded = gatherings.filter(starts_at__lt=now).exclude(
        Exists(Attendance._base_manager.filter(session=OuterRef("pk")))
    )
    follow_up = Session._base_manager.filter(
        network=OuterRef("pk"), kind=SessionKind.FOLLOW_UP
    ).order_by("number")
    focus = Network.focus_areas.through._default_manager.filter(network=OuterRef("pk"))
    return (
        Network._base_manager.filter(pk=network.pk)
        .annotate(
            n_focus=_count(focus, "network"),
            n_teams=_count(teams, "network"),
            n_no_unit_leader=_count(teams.filter(unit_leader__isnull=True), "network"),
            n_no_members=_count(
                teams.exclude(Exists(TeamMember._base_manager.filter(team=OuterRef("pk")))),
                "network",
            ),
            n_texts=_count(AgreementText._base_manager.filter(network=OuterRef("pk")), "network"),
            n_signed=_count(agreements.filter(status=AgreementStatus.SIGNED), "team__network"),
            n_declined=_count(agreements.filter(status=AgreementStatus.DECLINED), "team__network"),
            n_unsent=_count(agreements.filter(status__in=UNSENT_STATES), "team__network"),
            n_periods=_count(ReportPeriod._base_manager.filter(network=OuterRef("pk")), "network"),
            n_gatherings=_count(gatherings, "network"),
            n_past_gatherings=_count(gatherings.filter(starts_at__lt=now), "network"),
            n_unrecorded=_count(unrecorded, "network"),
            first_unrecorded=Subquery(unrecorded.order_by("starts_at").values("pk")[:1]),
            follow_up_id=Subquery(follow_up.values("pk")[:1]),
            follow_up_at=Subquery(follow_up.values("starts_at")[:1]),
            follow_up_status=Subquery(follow_up.values("status")[:1]),
        )
        .get()
    )


def checklist(network: Network, now: dt.datetime | None = None) -> list[Step]:
    """The steps of ``network``, in the order a coordinator takes them."""
    s = standing(network, now)
    pk = network.pk
    sessions_list = f"{reverse('admin:sessions_app_session_changelist')}?network__id__exact={pk}"
    steps = [_timeline(s, sessions_list)]
    if not network.is_learning:
        return steps
    return [
        _focus_areas(s),
        _teams(s),
        *steps,
        _text(s),
        _agreements(s),
        _periods(s),
        _attendance(s, sessions_list),
        _follow_up(s),
    ]


def _focus_areas(s) -> Step:
    title = _("Focus areas")
    link = ("#id_focus_area_mode", _("Choose on this page"))
    if s.n_focus == 0:
        return Step("focus", title, TODO, _("No focus area chosen yet."), *link)
    detail = ngettext("%(count)d focus area.", "%(count)d focus areas.", s.n_focus) % {
        "count": s.n_focus
    }
    return Step("focus", title, DONE, detail, *link)


def _teams(s) -> Step:
    title = _("Teams with members and a unit leader")
    if s.n_teams == 0:
        url = f"{reverse('admin:teams_team_add')}?network={s.pk}"
        return Step("teams", title, TODO, _("No teams yet."), url, _("Add a team"))
    url = f"{reverse('admin:teams_team_changelist')}?network__id__exact={s.pk}"
    missing = []
    if s.n_no_unit_leader:
        missing.append(
            ngettext(
                "%(count)d team has no unit leader",
                "%(count)d teams have no unit leader",
                s.n_no_unit_leader,
            )
            % {"count": s.n_no_unit_leader}
        )
    if s.n_no_members:
        missing.append(
            ngettext(
                "%(count)d team has no members",
                "%(count)d teams have no members",
                s.n_no_members,
            )
            % {"count": s.n_no_members}
        )
    teams = ngettext("%(count)d team", "%(count)d teams", s.n_teams) % {"count": s.n_teams}
    if missing:
        return Step(
            "teams", title, TODO, f"{teams}: {', '.join(missing)}.", url, _("See the teams")
        )
    return Step(
        "teams",
        title,
        DONE,
        _("%(teams)s, each with members and a unit leader.") % {"teams": teams},
        url,
        _("See the teams"),
    )


def _timeline(s, sessions_list) -> Step:
    title = _("The timeline")
    if s.n_gatherings == 0:
        if s.is_learning:
            url = reverse("admin:network_network_propose_timeline", args=[s.pk])
            return Step(
                "timeline", title, TODO, _("No gatherings yet."), url, _("Propose the timeline")
            )
        url = f"{reverse('admin:sessions_app_session_add')}?network={s.pk}&kind=gathering"
        return Step("timeline", title, TODO, _("No gatherings yet."), url, _("Add a gathering"))
    detail = ngettext(
        "%(count)d gathering planned.", "%(count)d gatherings planned.", s.n_gatherings
    ) % {"count": s.n_gatherings}
    if s.is_learning and s.n_gatherings < 3:
        return Step(
            "timeline",
            title,
            TODO,
            _("%(count)d of the 3 gatherings planned.") % {"count": s.n_gatherings},
            sessions_list,
            _("See the timeline"),
        )
    return Step("timeline", title, DONE, detail, sessions_list, _("See the timeline"))


def _text(s) -> Step:
    title = _("The agreement text")
    if s.n_texts == 0:
        url = f"{reverse('admin:agreements_agreementtext_add')}?network={s.pk}"
        return Step(
            "text",
            title,
            TODO,
            _("The default text has not been read through and saved for this network."),
            url,
            _("Read and save the text"),
        )
    url = f"{reverse('admin:agreements_agreementtext_changelist')}?network__id__exact={s.pk}"
    detail = _("Version %(version)d.") % {"version": s.n_texts}
    return Step("text", title, DONE, detail, url, _("See the versions"))


def _agreements(s) -> Step:
    title = _("Agreements sent, signed and declined")
    url = f"{reverse('admin:agreements_agreement_changelist')}?team__network__id__exact={s.pk}"
    if s.n_teams == 0:
        return Step("agreements", title, LATER, _("No teams yet."), url, _("See the agreements"))
    waiting = s.n_teams - s.n_signed - s.n_declined - s.n_unsent
    detail = _("%(signed)d signed, %(declined)d declined, %(waiting)d waiting for an answer.") % {
        "signed": s.n_signed,
        "declined": s.n_declined,
        "waiting": waiting,
    }
    if s.n_unsent:
        detail += " " + ngettext("%(count)d not sent.", "%(count)d not sent.", s.n_unsent) % {
            "count": s.n_unsent
        }
        url = reverse("admin:network_network_send_agreements", args=[s.pk])
        return Step("agreements", title, TODO, detail, url, _("Send the agreements"))
    state = DONE if waiting <= 0 else LATER
    return Step("agreements", title, state, detail, url, _("See the agreements"))


def _periods(s) -> Step:
    title = _("Report periods")
    link = ("#report_periods-group", _("Change on this page"))
    if s.n_periods == 0:
        return Step("periods", title, TODO, _("No report periods yet."), *link)
    detail = ngettext("%(count)d report period.", "%(count)d report periods.", s.n_periods) % {
        "count": s.n_periods
    }
    return Step("periods", title, DONE, detail, *link)


def _attendance(s, sessions_list) -> Step:
    title = _("Attendance")
    if s.n_unrecorded:
        url = reverse("admin:sessions_app_session_attendance", args=[s.first_unrecorded])
        detail = ngettext(
            "%(count)d gathering held has no attendance recorded.",
            "%(count)d gatherings held have no attendance recorded.",
            s.n_unrecorded,
        ) % {"count": s.n_unrecorded}
        return Step("attendance", title, TODO, detail, url, _("Record the attendance"))
    if s.n_past_gatherings == 0:
        return Step(
            "attendance",
            title,
            LATER,
            _("No gathering held yet."),
            sessions_list,
            _("See the timeline"),
        )
    detail = _("Recorded for every gathering held so far (%(count)d).") % {
        "count": s.n_past_gatherings
    }
    state = DONE if s.n_past_gatherings >= max(s.n_gatherings, 1) else LATER
    return Step("attendance", title, state, detail, sessions_list, _("See the timeline"))


def _follow_up(s) -> Step:
    title = _("The follow-up call")
    if s.follow_up_id is None:
        url = f"{reverse('admin:sessions_app_session_add')}?network={s.pk}&kind=follow_up"
        return Step(
            "follow_up", title, TODO, _("Not planned yet."), url, _("Plan the follow-up call")
        )
    url = reverse("admin:sessions_app_session_change", args=[s.follow_up_id])
    when = date_format(timezone.localtime(s.follow_up_at), "SHORT_DATE_FORMAT")
    if s.follow_up_status == SessionStatus.HELD:
        return Step(
            "follow_up",
            title,
            DONE,
            _("Held on %(date)s.") % {"date": when},
            url,
            _("See the call"),
        )
    return Step(
        "follow_up",
        title,
        LATER,
        _("Planned for %(date)s.") % {"date": when},
        url,
        _("See the call"),
    )
