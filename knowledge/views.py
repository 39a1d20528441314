"""The knowledge base: the network's documents, searched, and each served as a
download that no browser runs, at an address that cannot be guessed."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render

from knowledge import services
from knowledge.queries import get_document_for_user
from network.queries import get_coordinated_network


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
