"""The knowledge base: documents stored after their checks, and search."""

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gatherings import services as gatherings
from gatherings.models import AgendaItem, ProposalStatus
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


#: What the participants see: every document but the slides of a proposal that
#: is not (yet) in the programme, which only the coordinators see.
SHARED = Q(agenda_item__isnull=True) | Q(agenda_item__status=ProposalStatus.ACCEPTED)


@transaction.atomic
def propose_with_slides(
    session: Session, *, slides: tuple[str, bytes] | None = None, **fields: Any
) -> AgendaItem:
    """A participant's proposal (``gatherings.services.propose``) and its slides, if
    any, stored as a document of the network tied to the proposal, in one
    transaction: a proposal is never saved without the slides that came with it."""
    item = gatherings.propose(session, **fields)
    if slides is not None:
        name, data = slides
        add_document(
            session.network,
            name=name,
            data=data,
            title=_("Slides: %(title)s") % {"title": item.title},
            session=session,
            agenda_item=item,
        )
    return item


def search_documents(
    network: Network, query: str, *, with_proposals: bool = False
) -> QuerySet[Document]:
    """The network's documents matching every word of ``query``; the slides of
    proposals outside the programme only ``with_proposals`` (the coordinators)."""
    documents = Document.objects.filter(network=network).select_related("session", "agenda_item")
    if not with_proposals:
        documents = documents.filter(SHARED)
    for word in query.split()[:8]:
        documents = documents.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(text__icontains=word)
            | Q(original_name__icontains=word)
        )
    return documents
