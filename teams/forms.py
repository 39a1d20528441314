from django import forms
from django.utils.translation import gettext as _

from teams.models import Role


class TeamMemberFormSet(forms.BaseInlineFormSet):
    """The hard rules across all rows at once, before the database sees them.

    Each row alone cannot know that another new row names the same person or
    a second team leader; the database constraints would refuse the save with
    an error page. Here the person gets a clear message instead, with every
    row kept as typed.
    """

    def clean(self):
        if any(self.errors):
            return
        rows = [
            form for form in self.forms
            if hasattr(form, "cleaned_data") and form.cleaned_data
            and not self._should_delete_form(form)
        ]
        leaders = [form for form in rows if form.cleaned_data.get("role") == Role.TEAM_LEADER]
        if len(leaders) > 1:
            for form in leaders[1:]:
                form.add_error("role", _("The team already has a team leader. "
                                         "A team has exactly one."))
        seen = set()
        for form in rows:
            person = form.cleaned_data.get("person")
            if person is None:
                continue
            if person.pk in seen:
                form.add_error("person", _("%(person)s is already a member of the team.")
                               % {"person": person})
            seen.add(person.pk)
        if not any(self.errors):
            # Django's own check across rows; ours above says it more clearly.
            super().clean()
