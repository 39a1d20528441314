"""A session's own page (what the invitation in the calendar links to), and the
six-month follow-up call: the coordinator's record per team, and each team's
part through its link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_scopes import scopes_disabled

from network.access import public_scope
from network.queries import get_coordinated_network
from reports.queries import spread_plans
from sessions_app import services
from sessions_app.forms import FollowUpForm
from sessions_app.models import FollowUpRecord
from sessions_app.queries import follow_up_call, get_session_for_user


@login_required
def session(request, session_id):
    session = get_session_for_user(request, session_id)
    return render(request, "sessions_app/session.html", {"session": session})


# --- The follow-up call: the coordinator ---------------------------------------------


@login_required
def follow_up(request, network_id):
    """The call's overview: each team's state, its answers in short, and a link to
    its record."""
    network = get_coordinated_network(request, network_id)
    call = follow_up_call(network)
    records = services.ensure_records(call) if call is not None else []
    return render(
        request,
        "sessions_app/follow_up.html",
        {"network": network, "call": call, "records": records},
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_record(request, network_id, record_id):
    """One team's record of the call: the team's part if it sent one, completed by
    the coordinator during or after the call."""
    network = get_coordinated_network(request, network_id)
    record = get_object_or_404(
        FollowUpRecord.objects.select_related("team__municipality", "session", "recorded_by"),
        pk=record_id,
        session__network=network,
    )
    if request.method == "POST":
        form = FollowUpForm(request.POST, instance=record, team=record.team)
        if form.is_valid():
            data = dict(form.cleaned_data)
            measures = data.pop("measures")
            seen = data.pop("version")
            try:
                services.save_record(
                    record, data=data, measures=measures, by=request.user, seen_version=seen or 0
                )
            except services.StaleRecord as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("%(team)s: the record is saved.") % {"team": record.team}
                )
                return redirect("sessions_app:follow_up", network.pk)
    else:
        form = FollowUpForm(instance=record, team=record.team, initial={"version": record.version})
    return render(
        request,
        "sessions_app/follow_up_record.html",
        {
            "network": network,
            "record": record,
            "form": form,
            "plan": spread_plans(network).get(record.team_id),
        },
    )


@login_required
@require_POST
def follow_up_send(request, network_id):
    network = get_coordinated_network(request, network_id)
    call = follow_up_call(network)
    if call is None:
        raise Http404
    sent = services.send_team_links(call)
    messages.success(
        request,
        _("No link was sent: every team has answered or has no team leader with e-mail.")
        if not sent
        else ngettext(
            "A link is sent to %(count)d team.", "Links are sent to %(count)d teams.", sent
        )
        % {"count": sent},
    )
    return redirect("sessions_app:follow_up", network.pk)


@login_required
@require_POST
def follow_up_complete(request, network_id):
    network = get_coordinated_network(request, network_id)
    call = follow_up_call(network)
    if call is None:
        raise Http404
    try:
        services.complete_follow_up(call)
    except services.FollowUpError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The follow-up is recorded. The network is now followed up."))
    return redirect("sessions_app:follow_up", network.pk)


@login_required
def follow_up_pdf(request, network_id):
    network = get_coordinated_network(request, network_id)
    call = follow_up_call(network)
    if call is None:
        raise Http404
    response = HttpResponse(services.follow_up_pdf(call), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="oppfolging-{network.pk}.pdf"'
    return response


# --- The follow-up call: the team's part through its link --------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def team_follow_up(request, token):
    """Anyone with the team's link may fill in its part, once: the link's record is
    looked up across centres, and the page then works in its network's centre."""
    with scopes_disabled():
        try:
            record = services.find_team_link(token)
        except services.LinkProblem as problem:
            return _link_problem(request, problem)
    with public_scope(record.session.network.centre_id):
        return _team_follow_up(request, token, record)


def _link_problem(request, problem):
    status = {"unknown": 404, "used": 410, "expired": 410}[problem.reason]
    return render(
        request,
        "sessions_app/follow_up_link_problem.html",
        {"reason": problem.reason},
        status=status,
    )


def _team_follow_up(request, token, record):
    team = record.team
    if request.method == "POST":
        form = FollowUpForm(request.POST, instance=record, team=team, coordinator=False)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.fill_team_part(
                    token, data=data, measures=data.pop("measures"), name=data.pop("filled_by")
                )
            except services.LinkProblem as problem:
                return _link_problem(request, problem)
            return render(request, "sessions_app/follow_up_thanks.html", {"record": record})
    else:
        form = FollowUpForm(instance=record, team=team, coordinator=False)
    return render(
        request,
        "sessions_app/team_follow_up.html",
        {"record": record, "team": team, "session": record.session, "form": form},
    )
