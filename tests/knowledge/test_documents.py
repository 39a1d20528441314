"""The knowledge base: uploads checked by type, size and name; search; downloads."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge import services, uploads
from knowledge.models import Document


def _pdf_with(text):
    import weasyprint

    return weasyprint.HTML(string=f"<html lang='nb'><body><p>{text}</p></body></html>").write_pdf()


@pytest.mark.django_db
def test_uploads_are_checked_by_type_size_and_name(
    client, coordinator, improvement, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(uploads.UploadError, match="path"):
        services.add_document(
            improvement, name="../../etc/passwd.pdf", data=_pdf_with("x"), title="Lurt"
        )
    with pytest.raises(uploads.UploadError, match="path"):
        uploads.check("C:\\Users\\kari\\slides.pdf", _pdf_with("x"))
    client.force_login(coordinator)
    add = reverse("admin:knowledge_document_add")

    def upload(name, data):
        return client.post(
            add,
            {
                "network": improvement.pk,
                "title": "Lysbilder",
                "file": SimpleUploadedFile(name, data),
            },
        )

    fake = upload("virus.pdf", b"MZ\x90\x00 not a pdf")
    assert fake.context["adminform"].form.errors["file"] == [
        "Last opp en PDF eller en Office-fil (Word, PowerPoint, Excel eller OpenDocument)."
    ]
    exe = upload("program.exe", b"MZ\x90\x00")
    assert "file" in exe.context["adminform"].form.errors
    settings_max = uploads.MAX_BYTES
    big = upload("stor.pdf", b"%PDF-1.7\n" + b"0" * (settings_max + 1))
    assert big.context["adminform"].form.errors["file"] == ["Filen er større enn 20 MB."]
    assert not Document.objects.exists()

    good = upload("tavler.pdf", _pdf_with("Tavlemøter gir oversikt over risiko"))
    assert good.status_code == 302
    document = Document.objects.get()
    assert document.original_name == "tavler.pdf"
    assert document.file.name.startswith(f"documents/{improvement.pk}/")
    assert "tavler" not in document.file.name  # stored under a random name
    assert "Tavlemøter gir oversikt" in document.text

    response = client.get(reverse("knowledge:document", args=[document.key]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("attachment")

    found = client.get(
        reverse("knowledge:knowledge_base", args=[improvement.pk]), {"q": "risiko"}
    ).content.decode()
    assert "Lysbilder" in found
    none = client.get(
        reverse("knowledge:knowledge_base", args=[improvement.pk]), {"q": "finnesikke"}
    ).content.decode()
    assert "Lysbilder" not in none
    client.logout()
    assert client.get(reverse("knowledge:document", args=[document.key])).status_code == 404


def _docx(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, data in parts:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_archive_that_unpacks_to_too_much_is_refused_before_it_is_read(
    client, coordinator, improvement, settings, tmp_path
):
    """A "zip bomb": a small .docx whose XML unpacks to 60 MB, and one with 2,000 parts."""
    settings.MEDIA_ROOT = tmp_path
    bomb = _docx([("word/document.xml", b"<w:t>a</w:t>" * 5_000_000)])
    assert len(bomb) < 1024 * 1024  # it is small as uploaded
    with pytest.raises(uploads.UploadError, match="archive"):
        uploads.check("rapport.docx", bomb)
    many = _docx([(f"word/part{n}.xml", b"<a/>") for n in range(2_000)])
    with pytest.raises(uploads.UploadError, match="archive"):
        uploads.check("mange.docx", many)

    client.force_login(coordinator)
    response = client.post(
        reverse("admin:knowledge_document_add"),
        {"network": improvement.pk, "title": "Bombe", "file": SimpleUploadedFile("b.docx", bomb)},
    )
    assert response.context["adminform"].form.errors["file"] == [
        "Filen pakkes ut til mer enn 50 MB eller har mer enn 1 000 deler. Lagre den på nytt i "
        "Word, PowerPoint eller Excel, eller last den opp som PDF."
    ]
    assert 'value="Bombe"' in response.content.decode()  # what was typed is kept
    assert not Document.objects.exists()


def test_a_normal_docx_is_still_read_for_search():
    document = _docx([("word/document.xml", "<w:t>Tavlemøter hver morgen</w:t>".encode())])
    assert "Tavlemøter hver morgen" in uploads.check("tavle.docx", document).text
