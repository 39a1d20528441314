"""A new agreement text version starts from the current text, and each version
shows what changed from the one before: <del> and <ins> with words a screen reader
says, no inline style."""

import re

import pytest
from django.urls import reverse

from agreements import services
from lib import textdiff
from tests.factories import NetworkFactory

pytestmark = pytest.mark.django_db


def test_a_line_diff_compares_a_changed_line_word_by_word():
    lines = textdiff.line_diff(
        "Teamet deltar på tre samlinger.\nLeder følger opp.",
        ("Teamet deltar på alle tre samlinger.\nLeder følger opp.\nEn fra toppledelsen deltar."),
    )
    assert [[(p.kind, p.text) for p in line] for line in lines] == [
        [("same", "Teamet deltar på "), ("added", "alle "), ("same", "tre samlinger.")],
        [("same", "Leder følger opp.")],
        [("added", "En fra toppledelsen deltar.")],
    ]
    html = str(textdiff.render(lines))
    assert '<ins><span class="diff-label">Added: </span>alle </ins>' in html or (
        '<ins><span class="diff-label">Lagt til: </span>alle </ins>' in html
    )
    assert "style=" not in html


def test_the_diff_escapes_the_text():
    html = str(textdiff.render(textdiff.line_diff("a", "<script>x</script>")))
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.fixture
def versions(centre):
    network = NetworkFactory(centre=centre, title="Læringsnettverk fall")
    first = services.current_text(network)
    fields = {
        f: getattr(first, f)
        for f in (
            "introduction",
            "municipality_commitments",
            "centre_commitments",
            "closing",
            "hourly_rate",
        )
    }
    commitments = first.municipality_commitments.splitlines()
    second = services.save_text_version(
        network,
        **{
            **fields,
            "municipality_commitments": "\n".join([*commitments[:-1], "Ny forpliktelse."]),
            "hourly_rate": 500,
        },
    )
    return network, first, second, commitments[-1]


def test_a_version_shows_what_changed_from_the_one_before(client, coordinator, versions):
    network, first, second, dropped = versions
    client.force_login(coordinator)
    page = client.get(
        reverse("admin:agreements_agreementtext_change", args=[second.pk])
    ).content.decode()
    assert "Sammenlignet med versjon 1:" in page
    assert '<ins><span class="diff-label">Lagt til: </span>Ny forpliktelse.</ins>' in page
    assert re.search(r"<del><span class=\"diff-label\">Fjernet: </span>[^<]*</del>", page)
    assert "450 → 500 kr" in page
    assert "Innledning" not in page.split("Sammenlignet med versjon 1:")[1].split("</div>")[0]
    diff = page[page.index('class="text-diff"') - 200 : page.index("Skriv en ny versjon")]
    assert "style=" not in diff
    add = reverse("admin:agreements_agreementtext_add") + f"?network={network.pk}"
    assert f'href="{add}"' in page.replace("&amp;", "&")


def test_the_first_version_has_nothing_to_compare_with(client, coordinator, versions):
    network, first, _second, _dropped = versions
    client.force_login(coordinator)
    page = client.get(
        reverse("admin:agreements_agreementtext_change", args=[first.pk])
    ).content.decode()
    assert "Den første versjonen: ingenting å sammenligne med." in page


def test_a_new_version_starts_from_the_current_text(client, coordinator, versions):
    network, _first, second, _dropped = versions
    client.force_login(coordinator)
    add = reverse("admin:agreements_agreementtext_add")
    # With one learning network, the add page starts from its current text unasked.
    for url in (add, f"{add}?network={network.pk}"):
        initial = client.get(url).context["adminform"].form.initial
        assert initial["network"] == network.pk
        assert initial["municipality_commitments"] == second.municipality_commitments
        assert initial["hourly_rate"] == second.hourly_rate
    NetworkFactory(centre=network.centre)  # two: the coordinator chooses
    assert "network" not in client.get(add).context["adminform"].form.initial


def test_an_outsider_cannot_read_the_versions(client, outsider, versions):
    _network, _first, second, _dropped = versions
    client.force_login(outsider)
    response = client.get(reverse("admin:agreements_agreementtext_change", args=[second.pk]))
    assert response.status_code == 404
