"""Who may download a document: the one rule."""

from django.http import Http404, HttpRequest
from django_scopes import scopes_disabled

from gatherings.models import AgendaItem, ProposalStatus
from gatherings.queries import participant_networks
from knowledge.models import Document
from network.queries import coordinated_networks
from teams.queries import workspace_teams


def get_document_for_user(request: HttpRequest, key: str) -> Document:
    """The document behind ``key``, for whoever may have it: anyone if it is
    public; otherwise the network's participants (the members and unit leaders of
    its teams, and people registered for its gatherings who came through their
    e-mail's personal link) and the centre's coordinators. 404 for everyone else."""
    with scopes_disabled():  # the key is looked up in every centre, then the rule
        document = Document.objects.select_related("network").filter(key=key).first()
    if document is None:
        raise Http404
    if document.public:
        return document
    if coordinated_networks(request).filter(pk=document.network_id).exists():
        return document
    if not _shared(document):  # a proposal's slides, before it is in the programme
        raise Http404
    if document.network_id in participant_networks(request):  # their e-mail's link
        return document
    if workspace_teams(request).filter(network_id=document.network_id).exists():
        return document
    raise Http404


def _shared(document: Document) -> bool:
    if document.agenda_item_id is None:
        return True
    with scopes_disabled():  # the document's own item, in the document's centre
        return AgendaItem.objects.filter(
            pk=document.agenda_item_id, status=ProposalStatus.ACCEPTED
        ).exists()
