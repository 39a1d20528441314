from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from knowledge.forms import DocumentForm
from knowledge.models import Document
from network.admin import CentreScopedAdmin, VisibleRelatedFilter


@admin.register(Document)
class DocumentAdmin(CentreScopedAdmin):
    add_title = _("Add a new document")

    form = DocumentForm
    fields = ["network", "session", "agenda_item", "title", "description", "public", "file"]
    list_display = ["title", "network", "session", "public", "original_name", "size", "uploaded_at"]
    list_select_related = ["network", "session"]
    list_filter = [("network", VisibleRelatedFilter)]
    search_fields = ["title", "description", "original_name", "text"]

    def save_model(self, request, obj, form, change):
        checked = getattr(form, "checked", None)
        if checked is not None:
            obj.original_name = checked.name
            obj.content_type = checked.content_type
            obj.size = checked.size
            obj.text = checked.text
        super().save_model(request, obj, form, change)
