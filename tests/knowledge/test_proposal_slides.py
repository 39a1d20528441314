"""A participant attaches slides to a proposal: checked as every other upload, the
error next to the field with nothing typed lost, and seen by the participants only
once the item is in the programme."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gatherings.models import AgendaItem, ProposalStatus
from knowledge import uploads
from knowledge.models import Document
from tests.factories import TeamFactory, TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _pdf_with(text):
    import weasyprint

    return weasyprint.HTML(string=f"<html lang='nb'><body><p>{text}</p></body></html>").write_pdf()


def proposal(**extra):
    return {
        "title": "Tavlemøter i hjemmetjenesten",
        "summary": "Slik gjorde vi det",
        "minutes": "45",
        "proposer_name": "Kari Nordmann",
        "proposer_email": "kari@example.no",
        "organisation": "Vestvågøy kommune",
        **extra,
    }


def propose(client, gathering, **extra):
    return client.post(reverse("knowledge:propose", args=[gathering.pk]), proposal(**extra))


def test_a_proposal_with_slides_keeps_them_as_a_document_of_the_network(client, gathering):
    slides = SimpleUploadedFile("tavler.pdf", _pdf_with("Tavlemøtet tar ti minutter"))
    response = propose(client, gathering, slides=slides)
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    document = Document.objects.get()
    assert (document.agenda_item, document.session, document.network) == (
        item,
        gathering,
        gathering.network,
    )
    assert document.title == "Lysark: Tavlemøter i hjemmetjenesten"
    assert document.original_name == "tavler.pdf" and not document.public
    assert "ti minutter" in document.text  # searchable
    assert "tavler" not in document.file.name


def test_a_proposal_without_slides_is_still_welcome(client, gathering):
    assert propose(client, gathering).status_code == 302
    assert AgendaItem.objects.count() == 1 and not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "lysark.pdf",
            b"MZ\x90\x00 not a pdf",
            "Last opp en PDF eller en Office-fil (Word, PowerPoint, Excel eller OpenDocument).",
        ),
        (
            "program.exe",
            b"MZ\x90\x00",
            "Last opp en PDF eller en Office-fil (Word, PowerPoint, Excel eller OpenDocument).",
        ),
        ("tom.pdf", b"", "Filen er tom."),
        (
            "stor.pdf",
            b"%PDF-1.7\n" + b"0" * (uploads.MAX_BYTES + 1),
            "Filen er større enn 20 MB.",
        ),
    ],
    ids=["disguised", "program", "empty", "too-large"],
)
def test_a_bad_slide_file_is_refused_next_to_the_field_and_nothing_typed_is_lost(
    client, gathering, name, data, message
):
    response = propose(client, gathering, slides=SimpleUploadedFile(name, data))
    assert response.status_code == 200
    assert response.context["form"].errors == {"slides": [message]}
    page = response.content.decode()
    # The message is the field's own, tied to the input and marked red there.
    field = re.search(r'<input[^>]*name="slides"[^>]*>', page).group(0)
    assert "is-invalid" in field
    described = re.search(r'aria-describedby="([^"]+)"', field)
    error_id = next(i for i in (described.group(1).split() if described else []) if "error" in i)
    assert re.search(rf'id="{error_id}"[^>]*>\s*<p[^>]*><strong>{re.escape(message)}<', page)
    for typed in ('value="Tavlemøter i hjemmetjenesten"', "Slik gjorde vi det", 'value="45"'):
        assert typed in page
    assert not AgendaItem.objects.exists() and not Document.objects.exists()


def test_slides_are_the_coordinators_until_the_item_is_in_the_programme(
    client, gathering, coordinator, centre
):
    propose(client, gathering, slides=SimpleUploadedFile("tavler.pdf", _pdf_with("Tavlemøtet")))
    document = Document.objects.get()
    url = reverse("knowledge:document", args=[document.key])
    base = reverse("knowledge:knowledge_base", args=[gathering.network_id])
    member = TeamMemberFactory(
        team=TeamFactory(network=gathering.network), person__user=UserFactory()
    ).person.user
    client.force_login(member)
    assert client.get(base, {"q": "Tavlemøtet"}).context["documents"] == []
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert [d.pk for d in client.get(base).context["documents"]] == [document.pk]
    assert client.get(url).status_code == 200
    AgendaItem.objects.update(status=ProposalStatus.ACCEPTED)
    client.force_login(member)
    assert [d.pk for d in client.get(base, {"q": "Tavlemøtet"}).context["documents"]] == [
        document.pk
    ]
    assert client.get(url).status_code == 200
