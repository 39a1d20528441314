"""The unit leader downloads the signed PDF from the receipt, and later checks it on
the verification page by uploading it; an altered copy is refused."""

import re

import pytest
from django.core import mail

from agreements import services
from agreements.models import Agreement
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_unit_leader_verifies_the_pdf_and_an_altered_copy_is_refused(page, demo, tmp_path):
    agreement = Agreement.objects.get(team__unit="Leknes sykehjem, avdeling 2")
    services.send(agreement)
    link = re.search(r"(/avtale/signer/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_label("Din tittel").fill("Enhetsleder")
    page.get_by_label("Navn på deltakeren fra øverste ledelse").fill("Kommunalsjef Helse")
    page.get_by_label("E-post til deltakeren fra øverste ledelse").fill("topp@demo.no")
    page.get_by_label(re.compile("Jeg signerer på vegne av")).check()
    page.get_by_role("button", name="Signer avtalen").click()
    page.wait_for_selector("text=Avtalen er signert")
    assert page.get_by_role("heading", name="Hva skjer nå").is_visible()
    # The PDF is made after the commit; the receipt shows the button when it is there.
    button = page.get_by_role("link", name="Last ned den signerte PDF-en")
    button.wait_for()
    screenshot(page, "verify-1-receipt-with-pdf")
    with page.expect_download() as download:
        button.click()
    received = tmp_path / "avtale.pdf"
    download.value.save_as(received)
    assert received.read_bytes().startswith(b"%PDF")

    page.goto("/avtale/verifiser/")
    page.get_by_label("PDF-en du fikk").set_input_files(str(received))
    page.get_by_role("button", name="Sjekk filen").click()
    page.wait_for_selector("text=Filen stemmer")
    agreement.refresh_from_db()
    assert agreement.reference in page.locator(".alert-success").inner_text()
    screenshot(page, "verify-2-the-pdf-matches")

    altered = bytearray(received.read_bytes())
    altered[len(altered) // 2] ^= 0x01
    copy = tmp_path / "avtale-endret.pdf"
    copy.write_bytes(bytes(altered))
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("PDF-en du fikk").set_input_files(str(copy))
    page.get_by_role("button", name="Sjekk filen").click()
    page.wait_for_selector("text=Ingen treff: denne filen er ikke en signert avtale")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "verify-3-an-altered-copy-is-refused-390px")
    assert page.console_errors == []
