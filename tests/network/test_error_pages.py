"""403, 404, 500 and the expired form: in Norwegian, in the site's layout, saying
what the person can do next."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db


def in_layout(html):
    assert '<html lang="nb">' in html
    assert "USHT læringsnettverk" in html  # the site's own header and title
    assert "Tilgjengelighetserklæring" in html  # and its footer
    assert "Not Found" not in html and "Forbidden" not in html and "Server Error" not in html


def test_a_missing_page_says_what_to_do(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    in_layout(html)
    assert "Vi fant ikke siden" in html and "Hva du kan gjøre" in html
    assert reverse("security:login") in html


def test_an_outsider_on_a_team_page_gets_the_same_404(client, outsider, team):
    client.force_login(outsider)
    response = client.get(reverse("teams:team", args=[team.pk]))
    assert response.status_code == 404
    in_layout(response.content.decode())


def test_no_access_names_the_login_and_what_to_ask(client, django_user_model):
    user = django_user_model.objects.create_user(email="ingen@kommune.no", password="x" * 12)
    client.force_login(user)
    request = RequestFactory().get("/")
    request.user = user
    response = defaults.permission_denied(request, exception=None)
    html = response.content.decode()
    assert response.status_code == 403
    in_layout(html)
    assert "Du har ikke tilgang til denne siden" in html and "ingen@kommune.no" in html


def test_a_server_error_page_needs_no_request_and_is_norwegian():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    in_layout(html)
    assert "Noe gikk galt hos oss" in html and "Hva du kan gjøre" in html


def test_an_expired_form_says_nothing_was_saved(team):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("security:login"), {"username": "a@b.no", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    in_layout(html)
    assert "Skjemaet er utløpt" in html and "Ingenting ble lagret" in html
