"""The admin's changelist rows, rendered per column instead of per cell.

Django's ``items_for_result`` works out, for every cell of every row, what the
column is (a model field, an admin method, a property), formats the value
through lazy, escaping helpers and reverses the row's change URL: about a
millisecond a row of seven columns, more than half of a 25-row list at national
scale. Here each column is worked out once per list, with Django's own
``lookup_field`` on the first row, and a row costs only its values, handed to the
template as one piece of markup. The HTML is the same as Django's (a test
compares the two for every admin), and anything
unusual (an editable list, a popup, a column reached through ``__``) goes to
Django's code unchanged.

Used by ``templates/admin/change_list.html`` as ``{% result_list cl %}``.
"""

import datetime
from html import escape

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.admin_list import result_list as django_result_list
from django.contrib.admin.templatetags.admin_list import (
    results as django_results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import display_for_field, display_for_value, lookup_field, quote
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.formats import localize
from django.utils.safestring import SafeString

register = template.Library()

_PK = "0USHTPK0"  # stands for the row's key in a change URL reversed once per list
_SIMPLE = {str, int, bool, datetime.date, datetime.datetime, datetime.time, type(None)}


def _html(value) -> str:
    """``conditional_escape`` without its lazy-string wrapper."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


class _Column:
    """One column of a list: how to get a row's value and show it."""

    def __init__(self, cl, index, name, link, tag, first_row):
        self.link, self.tag = link, tag
        model_admin = cl.model_admin
        empty = model_admin.get_empty_value_display()
        # Raises ObjectDoesNotExist when the first row has no value to look at: then
        # the column cannot be worked out from it and Django renders the list.
        field, attr, _value = lookup_field(name, first_row, model_admin)
        empty = self.empty = getattr(attr, "empty_value_display", empty)
        classes = [f"field-{_coerce_field_name(name, index)}"]
        if field is not None:
            self.get = lambda obj: getattr(obj, name)
        elif callable(name):
            self.get = name
        elif hasattr(model_admin, name) and name != "__str__":
            self.get = getattr(model_admin, name)
        else:
            self.get = lambda obj: lookup_field(name, obj, model_admin)[2]
        self.dated = field is None or field.auto_created  # "nowrap" for a date value
        if self.dated:
            if name == "action_checkbox":
                classes = ["action-checkbox"]
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            self.show = lambda value: display_for_value(value, empty, boolean)
        else:
            if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
                classes.append("nowrap")
            if isinstance(field.remote_field, models.ManyToOneRel):
                self.show = lambda value: empty if value is None else value
            else:
                shown = {}  # rows share states, counts, dates: format each value once

                def show(value):
                    if type(value) not in _SIMPLE:
                        return display_for_field(value, field, empty, link)
                    if value not in shown:
                        shown[value] = display_for_field(value, field, empty, link)
                    return shown[value]

                self.show = show
        self.opening = f'<{tag} class="{" ".join(classes)}">'
        self.opening_nowrap = f'<{tag} class="{" ".join([*classes, "nowrap"])}">'

    def cell(self, row, url):
        opening = self.opening
        try:
            value = self.get(row)
        except ObjectDoesNotExist:
            shown = self.empty
        else:
            shown = self.show(value)
            if self.dated and isinstance(value, (datetime.date, datetime.time)):
                opening = self.opening_nowrap
        if self.link and url is not None:
            return SafeString(f'{opening}<a href="{escape(url)}">{_html(shown)}</a></{self.tag}>')
        return SafeString(f"{opening}{_html(shown)}</{self.tag}>")


def _columns(cl, first_row):
    """Django's rule: a column is a link if it is in ``list_display_links`` (the first
    column when that is empty); the first link column is a header cell."""
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        links = cl.list_display_links
        link = links is not None and ((first and not links) or name in links)
        columns.append(_Column(cl, index, name, link, "th" if link and first else "td", first_row))
        first = first and not link
    return columns


def _is_plain(cl):
    """Lists this module renders: integer keys (spliced into one reversed URL), no
    editable rows, popups or columns through ``__``. The rest are Django's."""
    return (
        isinstance(cl.lookup_opts.pk, models.IntegerField)
        and not (cl.formset or cl.is_popup or cl.to_field)
        and not any(
            isinstance(name, str) and LOOKUP_SEP in name.strip("_") for name in cl.list_display
        )
    )


def _change_url_template(cl):
    """The rows' change URL (with the list's filters kept) with a marker for the key:
    one reverse per list instead of one per row."""
    try:
        url = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(_PK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    return add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)


def fast_results(cl):
    rows = cl.result_list
    if not rows:
        return []
    try:
        columns = _columns(cl, rows[0])
    except ObjectDoesNotExist:
        return list(django_results(cl))
    url_template = _change_url_template(cl)
    results = []
    for row in rows:
        url = (
            None
            if url_template is None
            else url_template.replace(_PK, str(quote(getattr(row, cl.pk_attname))))
        )
        # A row is one piece of markup: the template's inner loop over cells cost as
        # much again as making them.
        results.append(
            ResultList(None, [SafeString("".join([column.cell(row, url) for column in columns]))])
        )
    return results


def result_list(cl):
    if not _is_plain(cl):
        return django_result_list(cl)
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": fast_results(cl),
    }


@register.filter
def filter_choices(choices):
    """A list filter's choices as Django's admin/filter.html writes them."""
    return SafeString(
        "".join(
            f"<li{' class="selected"' if choice.get('selected') else ''}>"
            f'<a href="{escape(iri_to_uri(choice["query_string"]))}">'
            f"{_html(localize(choice['display']))}</a></li>"
            for choice in choices
        )
    )


@register.tag(name="result_list")
def result_list_tag(parser, token):
    return InclusionAdminNode(
        "result_list",
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
