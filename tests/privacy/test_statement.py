"""The privacy statement: public, in Norwegian, with the centres' contacts and the
retention periods read from settings."""

import pytest
from django.urls import reverse

from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def test_the_statement_shows_each_centres_contact_and_the_periods(client, settings):
    CentreFactory(
        name="USHT Nordland",
        privacy_contact="Personvernombudet i Bodø kommune",
        privacy_email="personvern@bodo.kommune.no",
    )
    CentreFactory(name="USHT Vestland", email="usht@bergen.kommune.no")
    settings.RETENTION_REGISTRATION_DAYS = 123
    settings.RETENTION_INACTIVE_PERSON_DAYS = 456

    page = client.get(reverse("privacy:statement")).content.decode()

    assert "Personvernerklæring" in page
    assert "Personvernombudet i Bodø kommune" in page
    assert 'href="mailto:personvern@bodo.kommune.no"' in page
    # A centre with no privacy address is reached at its contact address.
    assert 'href="mailto:usht@bergen.kommune.no"' in page
    assert "123 dager etter samlingen" in page
    assert "ikke har logget inn på 456 dager" in page


def test_every_page_links_to_it_beside_the_accessibility_statement(client):
    page = client.get(reverse("accessibility")).content.decode()
    footer = page.split("<footer", 1)[1]
    assert f'href="{reverse("accessibility")}"' in footer
    assert f'href="{reverse("privacy:statement")}">Personvernerklæring</a>' in footer
