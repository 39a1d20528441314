"""The knowledge base: slides and documents shared at gatherings, searchable."""

import uuid
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from gatherings.models import AgendaItem
from network.models import Network
from sessions_app.models import Session


def document_path(instance, filename):
    """A random name in a folder per network: the uploaded name is never a path."""
    return f"documents/{instance.network_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Document(models.Model):
    """Slides and documents shared at gatherings: the network's knowledge base."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="documents", verbose_name=_("network")
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("gathering"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    #: What the document's address carries: not a number anyone can count through.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Anyone with the link may download it, also from the gathering's public page. "
            "Otherwise only the network's participants and the centre's coordinators."
        ),
    )
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    text = models.TextField(_("text, for search"), blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ScopedManager(centre="network__centre")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.network_id and self.session_id and self.session.network_id != self.network_id:
            errors["session"] = _("Choose a gathering of the document's own network.")
        if (
            self.network_id
            and self.agenda_item_id
            and self.agenda_item.session.network_id != self.network_id
        ):
            errors["agenda_item"] = _("Choose an agenda item of the document's own network.")
        if errors:
            raise ValidationError(errors)
