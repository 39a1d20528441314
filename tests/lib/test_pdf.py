"""Every kind of PDF the product makes, read as assistive technology and PDF/UA
checkers read it: the tag tree (pikepdf), the outline and the XMP metadata."""

import datetime as dt
import io
from decimal import Decimal

import pikepdf
import pytest
from django.urls import reverse

from agreements import services as agreements
from gatherings.models import AgendaItem, ProposalStatus
from gatherings.services import publish_programme, settings_for
from improvement import services as diagrams
from lib.dates import OSLO
from lib.tokens import sha256_hex
from network.models import NetworkKind
from reports.exports import summary_pdf
from reports.models import ReportStatus, StatusReport
from reports.services import propose_report_periods, report_pdf
from sessions_app.services import propose_timeline
from teams.models import Measure, Measurement, PDSACycle
from tests.factories import NetworkFactory, PersonFactory, SessionFactory, TeamFactory

pytestmark = pytest.mark.django_db

HEADING_LEVELS = {f"/H{level}": level for level in range(1, 7)}


@pytest.fixture
def team(centre):
    network = NetworkFactory(centre=centre, title="Læringsnettverk fall 2026–2027")
    propose_timeline(network)
    propose_report_periods(network)
    team = TeamFactory(
        network=network,
        unit="Leknes sykehjem",
        aim="Færre fall",
        unit_leader=PersonFactory(centre=centre, name="Marit Berg"),
    )
    measure = Measure.objects.create(team=team, name="Antall fall", goal=2, direction="down")
    for month in range(1, 13):
        Measurement.objects.create(
            measure=measure, period_start=dt.date(2026, month, 1), value=10 if month < 7 else 3
        )
    cycle = PDSACycle.objects.create(
        team=team, measure=measure, change="Sklisikre sokker", start_date=dt.date(2026, 9, 10)
    )
    driver = diagrams.add_driver(team, "Trygge omgivelser")
    diagrams.add_idea(team, "Sklisikre sokker", driver=driver, cycles=[cycle])
    return team


def signed_agreement(team):
    token = agreements.send(team.agreement)
    agreement = agreements.sign(
        token,
        signer_name="Marit Berg",
        signer_title="Enhetsleder",
        top_manager_name="Per Direktør",
        top_manager_email="per@kommune.no",
        shown_sha256=sha256_hex(agreements.render_document(team.agreement)),
        ip="10.1.2.3",
        user_agent="Testleser",
    )
    return agreements.signed_pdf(agreement)


def status_report(team):
    report = StatusReport.objects.create(
        team=team,
        period=team.network.report_periods.get(number=1),
        status=ReportStatus.SUBMITTED,
        submitted_at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC),
        what_worked="Sklisikre sokker",
        proposed_score=Decimal("2.5"),
        score=Decimal("2.0"),
        score_set_at=dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC),
        plan_kept="Sokkene",  # a spread plan: its table of row headers
    )
    report.cycles.set(PDSACycle.objects.filter(team=team))
    return report_pdf(report)


def summary(team):
    StatusReport.objects.create(
        team=team,
        period=team.network.report_periods.get(number=1),
        status=ReportStatus.SUBMITTED,
        submitted_at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC),
        score=Decimal("3.0"),  # the spread chart
    )
    follow_up(team)  # the follow-up record under the team
    return summary_pdf(team.network)


def programme(team, client):
    improvement = NetworkFactory(
        centre=team.network.centre,
        kind=NetworkKind.IMPROVEMENT,
        end_date=None,
        title="Forbedringsnettverket Vestvågøy",
    )
    session = SessionFactory(
        network=improvement,
        number=7,
        place="Leknes",
        starts_at=dt.datetime(2027, 2, 10, 9, tzinfo=OSLO),
        ends_at=dt.datetime(2027, 2, 10, 15, tzinfo=OSLO),
    )
    settings_for(session)
    AgendaItem.objects.create(
        session=session,
        title="Tavlemøter",
        summary="Slik gjorde vi det",
        minutes=45,
        proposer_name="Kari Nordmann",
        proposer_email="kari@example.no",
        status=ProposalStatus.ACCEPTED,
        day=1,
        starts=dt.time(10, 15),
    )
    publish_programme(session)
    response = client.get(reverse("gatherings:programme_pdf", args=[session.pk]))
    return b"".join(response.streaming_content)


def follow_up(team):
    from sessions_app import services as sessions
    from sessions_app.queries import follow_up_call

    call = follow_up_call(team.network)
    (record,) = sessions.ensure_records(call)
    record.sustained, record.spread = "partly", "Avdeling 3"
    record.save()
    return sessions.follow_up_pdf(call)


KINDS = {
    "agreement": signed_agreement,
    "follow-up": follow_up,
    "status report": status_report,
    "summary": summary,
    "programme": programme,
}


def elements(pdf):
    """The tag tree's structure elements in reading order (depth first)."""

    def walk(element):
        kids = element.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid
                yield from walk(kid)

    yield from walk(pdf.Root.StructTreeRoot)


def kids_of(element):
    kids = element.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


@pytest.mark.parametrize("kind", KINDS)
def test_each_pdf_is_tagged_for_assistive_technology(kind, team, client):
    build = KINDS[kind]
    content = build(team, client) if kind == "programme" else build(team)
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert str(pdf.Root.Lang) == "nb"
        assert pdf.Root.MarkInfo.Marked
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
            title = xmp["dc:title"]
        assert title and str(pdf.docinfo.Title) == title
        tree = list(elements(pdf))

        # Table header cells: a row of headers heads columns, a header in a row of
        # data heads its row; every one says which.
        headers = [e for e in tree if e.S == pikepdf.Name.TH]
        assert headers, "every kind of PDF has a table"
        for row in (e for e in tree if e.S == pikepdf.Name.TR):
            cells = kids_of(row)
            expected = "/Column" if all(cell.S == pikepdf.Name.TH for cell in cells) else "/Row"
            for cell in cells:
                if cell.S == pikepdf.Name.TH:
                    assert str(cell.A.Scope) == expected, (kind, cell.get("/ID"))
                    assert str(cell.A.O) == "/Table"

        # Headings: one H1 first, then no level skipped.
        levels = [HEADING_LEVELS[str(e.S)] for e in tree if str(e.S) in HEADING_LEVELS]
        assert levels[0] == 1 and levels.count(1) == 1, (kind, levels)
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, (kind, levels)
        # ... and the H1 is the document's title (the outline is made of the headings).
        with pdf.open_outline() as outline:
            assert " ".join(outline.root[0].title.split()) == " ".join(title.split())
            assert len(outline.root) == 1  # everything else sits below the H1

        # Every figure (the run charts, the driver diagram) has a text alternative.
        figures = [e for e in tree if str(e.S) == "/Figure"]
        if kind in ("status report", "summary"):
            assert figures
        if kind == "status report":
            alts = [str(figure.get("/Alt", "")) for figure in figures]
            assert any(alt.startswith("Driverdiagram for Leknes sykehjem") for alt in alts), alts
        for figure in figures:
            assert str(figure.get("/Alt", "")).strip(), kind


def test_an_agreement_signed_before_the_fix_keeps_its_document_and_gets_an_h1(team):
    """The frozen document is never re-rendered: its heading levels come from the
    wrapper (the H1 above it, the audit page as an H2), so old agreements pass too."""
    content = signed_agreement(team)
    with pikepdf.open(io.BytesIO(content)) as pdf:
        levels = [HEADING_LEVELS[str(e.S)] for e in elements(pdf) if str(e.S) in HEADING_LEVELS]
    assert levels[:3] == [1, 2, 3] and levels[-1] == 2
