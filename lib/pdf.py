"""HTML templates to tagged PDF (WeasyPrint), for agreements and reports alike."""

import io
from collections.abc import Iterator
from typing import Any

import pikepdf
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template_name: str, context: dict[str, Any], *, language: str = "nb") -> bytes:
    """Render ``template_name`` to PDF bytes.

    The PDF is tagged (PDF/UA-1) and carries the document language, as WCAG
    asks of the PDFs a public body publishes. Templates keep their styles in a
    <style> element: PDFs are not web pages and no CSP applies to them. Each
    template starts its headings at one <h1> with the document's title.
    """
    import weasyprint  # imported late: it loads Pango, which the web pages do not need

    with translation.override(language):
        html = render_to_string(template_name, context)
    document = weasyprint.HTML(string=html, base_url=None)
    return add_table_scopes(document.write_pdf(pdf_variant="pdf/ua-1"))


def _kids(element: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    """The structure elements below ``element`` (not its marked-content ids)."""
    kids = element.get("/K")
    if kids is None:
        return
    for kid in kids.as_list() if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid


def add_table_scopes(content: bytes) -> bytes:
    """Give every table header cell (TH) of the tag tree its /Scope, which PDF/UA-1
    (7.5) asks for and WeasyPrint 70 leaves out (it reads HTML's ``scope`` only to
    link cells to headers). A header in a row of headers heads its column; one in a
    row with data cells heads its row: what the templates' ``scope`` attributes say."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if not isinstance(root, pikepdf.Dictionary):
            return content
        stack = list(_kids(root))
        while stack:
            element = stack.pop()
            kids = list(_kids(element))
            if element.S == pikepdf.Name.TR:
                headers = [kid for kid in kids if kid.S == pikepdf.Name.TH]
                scope = pikepdf.Name.Column if len(headers) == len(kids) else pikepdf.Name.Row
                for header in headers:
                    attributes = header.get("/A")
                    if not isinstance(attributes, pikepdf.Dictionary):
                        attributes = header.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
                    attributes.Scope = scope
            stack.extend(kids)
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()
