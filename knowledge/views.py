"""The knowledge base: the network's documents, searched, and each served as a
download that no browser runs."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django_scopes import scopes_disabled

from knowledge import services
from knowledge.models import Document
from network.queries import coordinated_networks, get_coordinated_network


def document(request, document_id):
    """A document, served so that no browser runs or sniffs it: to the centre's
    coordinators, and to anyone once the gathering it belongs to has published its
    programme."""
    with scopes_disabled():
        doc = get_object_or_404(
            Document.objects.select_related(
                "agenda_item__session__gathering", "session__gathering"
            ),
            pk=document_id,
        )
    public = any(
        getattr(getattr(s, "gathering", None), "programme_published_at", None)
        for s in (doc.session, getattr(doc.agenda_item, "session", None))
        if s is not None
    )
    if not (public or coordinated_networks(request).filter(pk=doc.network_id).exists()):
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
    network = get_coordinated_network(request, network_id)
    query = request.GET.get("q", "").strip()[:200]
    documents = services.search_documents(network, query)[:100]
    return render(
        request,
        "knowledge/knowledge_base.html",
        {"network": network, "query": query, "documents": documents},
    )
