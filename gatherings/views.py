"""Public pages of an improvement network's gatherings, and the coordinator's
figures for the network's aims."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from gatherings import services
from gatherings.forms import RegistrationForm
from gatherings.models import RegistrationStatus
from gatherings.queries import (
    get_participant_network,
    get_public_gathering,
    participant_networks,
    waiting_position,
)
from lib.pdf import render_pdf
from lib.tokens import hash_token
from network.access import public_scope


def public_gathering(view):
    """A public page of a gathering: anyone may open it. It works in the scope of
    the gathering's centre, and gets the session and its gathering settings."""

    @wraps(view)
    def page(request, session_id, **kwargs):
        session = get_public_gathering(session_id)
        with public_scope(session.network.centre_id):
            return view(request, session, services.settings_for(session), **kwargs)

    return page


@public_gathering
def gathering(request, session, settings):
    previous = services.previous_gathering(session)
    seats = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return render(
        request,
        "gatherings/gathering.html",
        {
            "session": session,
            "settings": settings,
            "previous": previous,
            "previous_notes": getattr(previous, "gathering", None) if previous else None,
            "seats_left": max(settings.capacity - seats, 0),
            "programme": services.programme(session) if settings.programme_published_at else None,
            "participant": session.network_id in participant_networks(request)
            or request.user.is_authenticated,
        },
    )


@public_gathering
def register(request, session, settings):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(session, **form.cleaned_data)
        except services.GatheringError as error:
            form.add_error(None, str(error))
        else:
            return render(
                request,
                "gatherings/registered.html",
                {
                    "session": session,
                    "registration": registration,
                    "position": waiting_position(registration),
                },
            )
    seats = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return render(
        request,
        "gatherings/register.html",
        {
            "session": session,
            "settings": settings,
            "form": form,
            "full": seats >= settings.capacity,
        },
    )


@never_cache
@public_gathering
def cancel(request, session, settings, token):
    registration = session.registrations.filter(token_hash=hash_token(token)).first()
    if registration is None:
        return render(
            request, "gatherings/cancel.html", {"session": session, "unknown": True}, status=404
        )
    if request.method == "POST" and registration.status != RegistrationStatus.CANCELLED:
        services.cancel(session, token)
        registration.refresh_from_db()
    return render(
        request, "gatherings/cancel.html", {"session": session, "registration": registration}
    )


@public_gathering
def programme_pdf(request, session, settings):
    if not settings.programme_published_at:
        raise Http404
    pdf = render_pdf(
        "gatherings/programme_pdf.html",
        {
            "session": session,
            "days": services.gathering_days(session),
            "programme": services.programme(session),
        },
    )
    response = FileResponse(iter([pdf]), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="program-{session.pk}.pdf"'
    return response


def network_figures(request, network_id):
    """The network's aims in figures, for its participants (as the knowledge base)."""
    if not request.user.is_authenticated and network_id not in participant_networks(request):
        return redirect_to_login(request.get_full_path())
    network = get_participant_network(request, network_id)
    with public_scope(network.centre_id):
        figures = services.figures(network)
    top = max((row["registered"] for row in figures["by_organisation"]), default=1)
    for row in figures["by_organisation"]:
        row["percent"] = round(100 * row["registered"] / top)
    return render(request, "gatherings/figures.html", {"network": network, **figures})
