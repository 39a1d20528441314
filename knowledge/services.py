"""The knowledge base: documents stored after their checks, and search."""

from django.core.files.base import ContentFile
from django.db.models import Q, QuerySet

from gatherings.models import AgendaItem
from knowledge import uploads
from knowledge.models import Document
from network.models import Network
from sessions_app.models import Session


def add_document(
    network: Network,
    *,
    name: str,
    data: bytes,
    title: str,
    description: str = "",
    session: Session | None = None,
    agenda_item: AgendaItem | None = None,
    public: bool = False,
) -> Document:
    """Store an upload after checking its name, size and real type."""
    checked = uploads.check(name, data)
    document = Document(
        network=network,
        session=session,
        agenda_item=agenda_item,
        title=title or checked.name,
        description=description,
        public=public,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        text=checked.text,
    )
    document.file.save(checked.name, ContentFile(data), save=False)
    document.save()
    return document


def search_documents(network: Network, query: str) -> QuerySet[Document]:
    documents = Document.objects.filter(network=network).select_related("session", "agenda_item")
    for word in query.split()[:8]:
        documents = documents.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(text__icontains=word)
            | Q(original_name__icontains=word)
        )
    return documents
