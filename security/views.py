"""The account pages that are Django's own views with a step added."""

from django.contrib.auth import views as auth_views

from security import services


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page for the e-mailed password link; a new password also lifts the
    lockout of the user name (django-axes)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset(form.user, request=self.request)
        return response
