"""HTML templates to tagged PDF (WeasyPrint), for agreements and reports alike."""

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template_name: str, context: dict[str, Any], *, language: str = "nb") -> bytes:
    """Render ``template_name`` to PDF bytes.

    The PDF is tagged (PDF/UA-1) and carries the document language, as WCAG
    asks of the PDFs a public body publishes. Templates keep their styles in a
    <style> element: PDFs are not web pages and no CSP applies to them.
    """
    import weasyprint  # imported late: it loads Pango, which the web pages do not need

    with translation.override(language):
        html = render_to_string(template_name, context)
    document = weasyprint.HTML(string=html, base_url=None)
    return document.write_pdf(pdf_variant="pdf/ua-1")
