"""Public pages of an improvement network's gatherings, and the coordinator's
knowledge base and figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lib.pdf import render_pdf
from lib.tokens import hash_token
from network.models import NetworkKind
from network.queries import get_coordinated_network
from sessions_app import gatherings
from sessions_app.forms import ProposalForm, RegistrationForm
from sessions_app.models import (
    Document,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionStatus,
)


def _public_gathering(session_id):
    session = get_object_or_404(
        Session.objects.select_related("network__centre"),
        pk=session_id,
        kind=SessionKind.GATHERING,
        network__kind=NetworkKind.IMPROVEMENT,
    )
    if session.status == SessionStatus.CANCELLED:
        raise Http404
    return session, gatherings.settings_for(session)


def gathering(request, session_id):
    session, settings = _public_gathering(session_id)
    previous = gatherings.previous_gathering(session)
    seats = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return render(
        request,
        "sessions_app/gathering.html",
        {
            "session": session,
            "settings": settings,
            "previous": previous,
            "previous_notes": getattr(previous, "gathering", None) if previous else None,
            "seats_left": max(settings.capacity - seats, 0),
            "programme": gatherings.programme(session) if settings.programme_published_at else None,
        },
    )


def register(request, session_id):
    session, settings = _public_gathering(session_id)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = gatherings.register(session, **form.cleaned_data)
        except gatherings.GatheringError as error:
            form.add_error(None, str(error))
        else:
            return render(
                request,
                "sessions_app/registered.html",
                {"session": session, "registration": registration},
            )
    return render(
        request,
        "sessions_app/register.html",
        {"session": session, "settings": settings, "form": form},
    )


@never_cache
def cancel(request, session_id, token):
    session, _settings = _public_gathering(session_id)
    registration = session.registrations.filter(token_hash=hash_token(token)).first()
    if registration is None:
        return render(
            request, "sessions_app/cancel.html", {"session": session, "unknown": True}, status=404
        )
    if request.method == "POST" and registration.status != RegistrationStatus.CANCELLED:
        gatherings.cancel(session, token)
        registration.refresh_from_db()
    return render(
        request, "sessions_app/cancel.html", {"session": session, "registration": registration}
    )


def propose(request, session_id):
    session, _settings = _public_gathering(session_id)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        gatherings.propose(session, **form.cleaned_data)
        messages.success(
            request,
            _(
                "Thank you! The coordinator will look at your proposal "
                "when putting the programme together."
            ),
        )
        return redirect("gatherings:gathering", session.pk)
    return render(request, "sessions_app/propose.html", {"session": session, "form": form})


def _published(session_id):
    session, settings = _public_gathering(session_id)
    if not settings.programme_published_at:
        raise Http404
    return session, settings


def programme_pdf(request, session_id):
    session, settings = _published(session_id)
    pdf = render_pdf(
        "sessions_app/programme_pdf.html",
        {"session": session, "programme": gatherings.programme(session)},
    )
    response = FileResponse(iter([pdf]), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="program-{session.pk}.pdf"'
    return response


def document(request, document_id):
    """A document, served so that no browser runs or sniffs it."""
    doc = get_object_or_404(
        Document.objects.select_related("agenda_item__session__gathering", "session__gathering"),
        pk=document_id,
    )
    public = any(
        getattr(getattr(s, "gathering", None), "programme_published_at", None)
        for s in (doc.session, getattr(doc.agenda_item, "session", None))
        if s is not None
    )
    allowed = public or (
        request.user.is_authenticated
        and Document.objects.visible_to(request.user).filter(pk=doc.pk).exists()
    )
    if not allowed:
        raise Http404
    response = FileResponse(
        doc.file.open("rb"),
        as_attachment=True,
        filename=doc.original_name,
        content_type=doc.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def knowledge_base(request, network_id):
    network = get_coordinated_network(request.user, network_id)
    query = request.GET.get("q", "").strip()[:200]
    documents = gatherings.search_documents(network, query)[:100]
    return render(
        request,
        "sessions_app/knowledge_base.html",
        {"network": network, "query": query, "documents": documents},
    )


@login_required
def network_figures(request, network_id):
    network = get_coordinated_network(request.user, network_id)
    figures = gatherings.figures(network)
    top = max((row["n"] for row in figures["by_organisation"]), default=1)
    for row in figures["by_organisation"]:
        row["percent"] = round(100 * row["n"] / top)
    return render(request, "sessions_app/figures.html", {"network": network, **figures})
