"""Django's own strings that its bokmål catalogue lacks or gets wrong.

Marked here so that ``make messages`` keeps them in the project's catalogue, where
their translations live; the project's catalogue comes first, so Django's admin and
forms show them in bokmål too. Three kinds:

- strings new in Django 5.x/6.x that Django's bokmål catalogue does not have yet;
- plural strings that Django's catalogue has only as two singular entries, so that
  its ``ngettext`` falls back to English ("Please correct the errors below.");
- the admin's "Add …" strings, which Django's catalogue renders as "Legg til ny …"
  whatever the noun's gender ("Legg til ny nettverk"); here they have no adjective
  ("Legg til nettverk", "Lagre og legg til neste"), and each add page's title
  names its own gender
  (``network.admin.NorwegianAdminMixin.add_title``).

The admin's scripts (the calendar, the two-list picker, the time zone note) take
their strings from ``locale/nb/LC_MESSAGES/djangojs.po``, written by hand: it has
no source here for ``makemessages`` to read.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

STRINGS = [
    # Forms and models (django.conf).
    _("- Select an option -"),
    _("Enter a valid domain name."),
    _("Enter a valid %(protocol)s address."),
    _(
        "Ensure this value is a multiple of step size %(limit_value)s, starting from "
        "%(offset)s, e.g. %(offset)s, %(valid_value1)s, %(valid_value2)s, and so on."
    ),
    _("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    _("No %s matches the given query."),
    # The admin.
    _("Run"),
    _("Select all objects on this page for an action"),
    _("Select this object for an action - {}"),
    _("Show counts"),
    _("Hide counts"),
    _("Add %s"),
    _("Add %(name)s"),
    _("Add another %(model)s"),
    # An inline's "add a row" link; Django capitalises the noun ("Legg til: Samling").
    _("Add another %(verbose_name)s"),
    # Django's bokmål has "ny" in these too, whatever the noun.
    _("Save and add another"),
    _("Save as new"),
    _("The {name} “{obj}” was added successfully. You may add another {name} below."),
    _("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    _("Add link"),
    _("Change or view list link"),
    _("Model name"),
    _("Breadcrumbs"),
    _("Sidebar"),
    _("Start typing to filter…"),
    _("Filter navigation items"),
    _("Filter by %(field_name)s"),
    _("Search %(name)s"),
    _("Pagination %(name)s"),
    _("Pagination %(name)s entries"),
    _("View selected %(model)s"),
    _("Toggle theme (current theme: auto)"),
    _("Toggle theme (current theme: light)"),
    _("Toggle theme (current theme: dark)"),
    _("Error:"),
    _("Added:"),
    _("Changed:"),
    _("Deleted:"),
    _("Logout"),
    _("Forgotten your login credentials?"),
    _("Thanks for spending some quality time with the web site today."),
    _("In case you’ve forgotten, you are:"),
    _('The app "%s" could not be found.'),
    _(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? "
        "All of the following related items will be deleted:"
    ),
    _(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting "
        "the following protected related objects:"
    ),
    _(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting "
        "related objects, but your account doesn't have permission to delete the "
        "following types of objects:"
    ),
    ngettext_lazy("Please correct the error below.", "Please correct the errors below."),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects."),
    ngettext_lazy("entry", "entries"),
    # Users and passwords (django.contrib.auth), on the users' admin pages.
    _("After you’ve created a user, you’ll be able to edit more user options."),
    _("Raw passwords are not stored, so there is no way to see the user’s password."),
    _("Reset password"),
    _("Set password"),
    _("Set password: %s"),
    _("Password-based authentication"),
    _("Password-based authentication was disabled."),
    _("Enabled"),
    _("Disabled"),
    _("Enable password-based authentication"),
    _("Disable password-based authentication"),
    _("Enable password-based authentication for this user by setting a password."),
    _("This action will <strong>enable</strong> password-based authentication for this user."),
    _(
        "Whether the user will be able to authenticate using a password or not. If "
        "disabled, they may still be able to authenticate using other backends, such "
        "as Single Sign-On or LDAP."
    ),
    _("Conflicting form data submitted. Please try again."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
]
