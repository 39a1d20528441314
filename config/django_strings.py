"""Django's own strings that its bokmål catalogue lacks (new in Django 6.x).

Marked here so that ``make messages`` keeps them in the project's catalogue, where
their translations live; the project's catalogue comes first, so Django's admin and
forms show them in bokmål too.
"""

from django.utils.translation import gettext_noop as _

STRINGS = [
    _("- Select an option -"),
    _("Run"),
    _("Select all objects on this page for an action"),
    _("Select this object for an action - {}"),
    _("Show counts"),
    _("Hide counts"),
]
