"""Free text that could hold patient information carries a warning not to write
anything that identifies a patient; the status report says so above its text
fields."""

import pytest
from django.urls import reverse

from gatherings.services import settings_for
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

WARNING = "Ikke skriv noe som kan identifisere en pasient eller bruker"


def _before_first_textarea(page):
    return page.index(WARNING) < page.index("<textarea")


def test_the_status_report_warns_above_its_text_fields(client, setup):
    client.force_login(setup["leader"])
    page = client.get(setup["url"]).content.decode()
    assert WARNING in page and _before_first_textarea(page)


def test_the_pdsa_log_warns(client, setup):
    client.force_login(setup["leader"])
    for url in (
        reverse("teams:pdsa_create", args=[setup["team"].pk]),
        reverse("teams:pdsa_edit", args=[setup["team"].pk, setup["cycle"].pk]),
    ):
        page = client.get(url).content.decode()
        assert WARNING in page and _before_first_textarea(page)


def test_the_self_assessment_warns_above_its_comments(client, setup):
    client.force_login(setup["leader"])
    page = client.get(reverse("assessments:create", args=[setup["team"].pk])).content.decode()
    assert WARNING in page and _before_first_textarea(page)


def test_a_proposal_for_a_gathering_warns(client, improvement):
    gathering = SessionFactory(network=improvement)
    settings = settings_for(gathering)
    settings.registration_open = True
    settings.save()
    page = client.get(reverse("knowledge:propose", args=[gathering.pk])).content.decode()
    assert WARNING in page and _before_first_textarea(page)


def test_the_gathering_notes_in_the_admin_warn(client, coordinator, improvement):
    gathering = SessionFactory(network=improvement)
    settings_for(gathering)
    client.force_login(coordinator)
    page = client.get(reverse("admin:sessions_app_session_change", args=[gathering.pk]))
    html = page.content.decode()
    assert WARNING in html
    assert html.index(WARNING) < html.index('name="gathering-0-where_we_are"')
