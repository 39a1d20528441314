"""The knowledge base: the network's documents, searched, and each served as a
download that no browser runs, at an address that cannot be guessed."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from gatherings.queries import (
    PARTICIPANT_SESSION_KEY,
    get_participant_network,
    get_public_gathering,
    participant_networks,
    registration_for_link,
)
from knowledge import services
from knowledge.forms import ProposalWithSlidesForm
from knowledge.queries import get_document_for_user
from network.access import access_of, public_scope


def document(request, key):
    """A document, served so that no browser runs or sniffs it (the rule:
    ``knowledge.queries.get_document_for_user``)."""
    doc = get_document_for_user(request, key)
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


def knowledge_base(request, network_id):
    """The network's documents, searched: for its participants
    (``gatherings.queries.get_participant_network``). Someone not logged in and
    without a personal link is asked to log in."""
    if not request.user.is_authenticated and network_id not in participant_networks(request):
        return redirect_to_login(request.get_full_path())
    network = get_participant_network(request, network_id)
    # A NUL cannot be in a PostgreSQL string; nobody searches for one.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    with public_scope(network.centre_id):
        may_coordinate = access_of(request).may_coordinate
        documents = list(
            services.search_documents(network, query, with_proposals=may_coordinate)[:100]
        )
    return render(
        request,
        "knowledge/knowledge_base.html",
        {
            "network": network,
            "query": query,
            "documents": documents,
            "may_coordinate": may_coordinate,
        },
    )


@never_cache
def participant_link(request, token):
    """The personal link in a registration's e-mail: this browser may now open the
    network's knowledge base and figures, and goes to the knowledge base."""
    registration = registration_for_link(token)
    if registration is None:
        return render(request, "knowledge/participant_link.html", status=404)
    network = registration.session.network
    granted = participant_networks(request)
    if network.pk not in granted:
        request.session[PARTICIPANT_SESSION_KEY] = [*granted, network.pk]
    return redirect("knowledge:knowledge_base", network.pk)


def propose(request, session_id):
    """A gathering's public page where anyone proposes an item for the programme,
    with slides if they have them. It lives here, above the gatherings, because the
    slides become a document of the knowledge base."""
    session = get_public_gathering(session_id)
    with public_scope(session.network.centre_id):
        form = ProposalWithSlidesForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "slides"}
            slides = None
            if form.cleaned_data.get("slides") is not None:
                slides = (form.slides_checked.name, form.slides_bytes)
            services.propose_with_slides(session, slides=slides, **fields)
            messages.success(
                request,
                _(
                    "Thank you! The coordinator will look at your proposal "
                    "when putting the programme together."
                ),
            )
            return redirect("gatherings:gathering", session.pk)
        return render(request, "knowledge/propose.html", {"session": session, "form": form})
