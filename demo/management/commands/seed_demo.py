"""Load a realistic demo region. Safe to run again: it finds what exists."""

import base64
import datetime as dt
from decimal import Decimal
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from agreements import services as agreement_services
from agreements.models import AgreementStatus
from assessments import services as assessments
from gatherings import services as gatherings
from gatherings.models import ParticipantRole, ProposalStatus, Side
from improvement import services as diagrams
from improvement.models import Driver
from knowledge import services as knowledge
from lib.dates import TUESDAY, at_oslo, weekday_on_or_after
from lib.tokens import sha256_hex
from network.models import (
    Centre,
    County,
    FocusArea,
    FocusAreaMode,
    Municipality,
    Network,
    NetworkKind,
    Person,
    User,
)
from network.services import advance_statuses, appoint_coordinator
from reports import services as report_services
from reports.models import StatusReport
from reports.services import propose_report_periods
from sessions_app.models import Session, SessionKind, SessionStatus
from sessions_app.services import propose_timeline
from teams.models import PDSACycle, Profession, Role, Team
from teams.services import add_member, create_measure, save_series
from units import services as board

DEMO_PASSWORD = "demo1234"

MUNICIPALITIES = [
    ("1804", "Bodø", County.NORDLAND),
    ("1859", "Flakstad", County.NORDLAND),
    ("1860", "Vestvågøy", County.NORDLAND),
    ("1865", "Vågan", County.NORDLAND),
    ("1874", "Moskenes", County.NORDLAND),
    ("4601", "Bergen", County.VESTLAND),
    ("4627", "Askøy", County.VESTLAND),
]

# (municipality, unit, unit leader, [(name, email, role, profession)])
NORDLAND_TEAMS = [
    (
        "1860",
        "Leknes sykehjem, avdeling 2",
        ("Marit Berg", "enhetsleder@demo.no", "Enhetsleder"),
        [
            ("Kari Nordmann", "teamleder@demo.no", Role.TEAM_LEADER, Profession.NURSE),
            ("Ola Hansen", "ola.hansen@demo.no", Role.MEASUREMENT_LEAD, Profession.HEALTH_WORKER),
            ("Ingrid Johansen", "ingrid.johansen@demo.no", Role.MEMBER, Profession.PHYSIOTHERAPIST),
            ("Per Olsen", "per.olsen@demo.no", Role.USER_REPRESENTATIVE, Profession.NONE),
        ],
    ),
    (
        "1865",
        "Svolvær sykehjem",
        ("Tone Eriksen", "tone.eriksen@demo.no", "Avdelingsleder"),
        [
            ("Anne Larsen", "anne.larsen@demo.no", Role.TEAM_LEADER, Profession.NURSE),
            (
                "Nils Karlsen",
                "nils.karlsen@demo.no",
                Role.MEASUREMENT_LEAD,
                Profession.HEALTH_WORKER,
            ),
            (
                "Silje Pedersen",
                "silje.pedersen@demo.no",
                Role.MEMBER,
                Profession.OCCUPATIONAL_THERAPIST,
            ),
        ],
    ),
    (
        "1859",
        "Hjemmetjenesten Flakstad",
        ("Bjørn Solberg", "bjorn.solberg@demo.no", "Leder hjemmetjenesten"),
        [
            ("Hilde Andersen", "hilde.andersen@demo.no", Role.TEAM_LEADER, Profession.NURSE),
            ("Jon Nilsen", "jon.nilsen@demo.no", Role.MEASUREMENT_LEAD, Profession.HEALTH_WORKER),
        ],
    ),
    (
        "1804",
        "Hjemmetjenesten Bodø sentrum",
        ("Geir Strand", "geir.strand@demo.no", "Enhetsleder"),
        [
            ("Lene Kristiansen", "lene.kristiansen@demo.no", Role.TEAM_LEADER, Profession.NURSE),
            ("Eva Jakobsen", "eva.jakobsen@demo.no", Role.MEASUREMENT_LEAD, Profession.NURSE),
            ("Tor Halvorsen", "tor.halvorsen@demo.no", Role.MEMBER, Profession.PHYSICIAN),
            ("Randi Moen", "randi.moen@demo.no", Role.MEMBER, Profession.HEALTH_WORKER),
        ],
    ),
]

# (unit, proposed score, confirmed score or "", the coordinator's comment)
DEMO_REPORTS = [
    ("Svolvær sykehjem", "3.0", "3.0", ""),
    (
        "Hjemmetjenesten Flakstad",
        "2.5",
        "2.0",
        "PDSA-sirklene er planlagt, men ikke gjennomført ennå.",
    ),
    ("Hjemmetjenesten Bodø sentrum", "2.5", "", ""),
]

LOGINS = [
    ("koordinator@demo.no", "Coordinator, USHT Nordland"),
    ("teamleder@demo.no", "Team leader, Leknes sykehjem"),
    ("enhetsleder@demo.no", "Unit leader, Leknes sykehjem (lands on the unit's page)"),
    ("tone.eriksen@demo.no", "Unit leader, Svolvær sykehjem (agreement signed)"),
    ("koordinator.vestland@demo.no", "Coordinator, USHT Vestland (another centre)"),
    ("koordinator.2fa@demo.no", "Coordinator, USHT Nordland, with two-factor login on"),
    ("admin@demo.no", "Superuser"),
]


#: The unit leaders who log in (the others only receive e-mail).
UNIT_LEADER_LOGINS = ("enhetsleder@demo.no", "tone.eriksen@demo.no")

#: Leknes's improvement board: (kind, title, detail, column, the PDSA cycle's change).
BOARD_CARDS = [
    ("idea", "Sklisikre sokker til alle med fallrisiko", "", "implemented", "Sklisikre sokker"),
    ("idea", "Fallrisiko vurderes ved innkomst", "", "testing", "Fallrisiko vurderes"),
    ("problem", "Dårlig lys i korridoren om natten", "Meldt til vaktmester.", "new", None),
    ("idea", "Sensormatte ved sengen", "For beboere som går ut av sengen om natten.", "new", None),
    ("idea", "Faste toalettrunder kl. 22 og 02", "", "set_aside", None),
]
#: The demo's two-factor coordinator's TOTP key: RFC 6238's own test key
#: ("12345678901234567890"), so that the README can name it. A demo secret only.
DEMO_TOTP_KEY = b"12345678901234567890"
DEMO_TOTP_EMAIL = "koordinator.2fa@demo.no"


def demo_totp_secret() -> str:
    """The key in base32, as an authenticator app or ``oathtool -b`` takes it."""
    return base64.b32encode(DEMO_TOTP_KEY).decode()


def school_year_start(today: dt.date) -> dt.date:
    """1 September of the current school year."""
    year = today.year if today.month >= 8 else today.year - 1
    return dt.date(year, 9, 1)


class Command(BaseCommand):
    help = "Loads a demo region with networks, teams, a timeline and demo logins."

    def handle(self, *args, **options):
        """The demo region serves several centres: the command declares no centre
        of its own (scopes_disabled)."""
        with scopes_disabled():
            with transaction.atomic():
                link = self._load()
            # Printed after the commit, below any e-mail the console backend shows.
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data ready: {Network.objects.count()} networks, "
                    f"{Team.objects.count()} teams."
                )
            )
            self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
            for email, label in LOGINS:
                self.stdout.write(f"  {email:32} {label}")
            self.stdout.write(
                f"Two-factor login ({DEMO_TOTP_EMAIL}, asked for when OTP_REQUIRED=1): "
                f"TOTP secret {demo_totp_secret()}\n"
                f"  add it to an authenticator app, or: oathtool --totp -b {demo_totp_secret()}"
            )
            if link:
                self.stdout.write(
                    f"Signing link for the demo unit leader (enhetsleder@demo.no):\n  {link}"
                )

    def _load(self):
        today = timezone.localdate()
        if not FocusArea.objects.exists():
            # The focus areas come with a data migration; a test database that
            # was flushed has lost them, so load them the same way again.
            from django.apps import apps

            import_module("network.migrations.0002_focus_areas").load(apps, None)
        municipalities = {}
        for number, name, county in MUNICIPALITIES:
            municipalities[number], _ = Municipality.objects.get_or_create(
                number=number, defaults={"name": name, "county": county}
            )

        nordland, _ = Centre.objects.get_or_create(
            name="Utviklingssenter for sykehjem og hjemmetjenester i Nordland",
            defaults={
                "short_name": "USHT Nordland",
                "county": County.NORDLAND,
                "email": "usht@demo.no",
                "privacy_contact": "Personvernombudet i Vestvågøy kommune",
                "privacy_email": "personvern@demo.no",
            },
        )
        vestland, _ = Centre.objects.get_or_create(
            name="Utviklingssenter for sykehjem og hjemmetjenester i Vestland",
            defaults={"short_name": "USHT Vestland", "county": County.VESTLAND},
        )
        self._coordinator(nordland, "Sissel Knutsen", "koordinator@demo.no")
        self._coordinator(vestland, "Morten Dahl", "koordinator.vestland@demo.no")
        two_factor = self._coordinator(nordland, "Tove Totp", DEMO_TOTP_EMAIL)
        TOTPDevice.objects.get_or_create(
            user=two_factor.user,
            name="Demo",
            defaults={"key": DEMO_TOTP_KEY.hex(), "confirmed": True},
        )
        admin = self._user("admin@demo.no", first_name="Admin", is_staff=True, is_superuser=True)
        admin.save()

        start = school_year_start(today)
        falls = FocusArea.objects.get(slug="fall")
        learning, _ = Network.objects.get_or_create(
            centre=nordland,
            title=f"Læringsnettverk fallforebygging {start.year}–{start.year + 1}",
            defaults={
                "kind": NetworkKind.LEARNING,
                "focus_area_mode": FocusAreaMode.SINGLE,
                "start_date": start,
                "end_date": dt.date(start.year + 1, 6, 1),
                "participation_fee": 2500,
            },
        )
        learning.focus_areas.add(falls)
        for number, unit, leader, members in NORDLAND_TEAMS:
            unit_leader = self._person(
                nordland, *leader[:2], title=leader[2], login=leader[1] in UNIT_LEADER_LOGINS
            )
            team, _ = Team.objects.get_or_create(
                network=learning,
                municipality=municipalities[number],
                unit=unit,
                defaults={
                    "focus_area": falls,
                    "unit_leader": unit_leader,
                    "aim": "Redusere antall fall med 30 % innen utgangen av mai.",
                },
            )
            for name, email, role, profession in members:
                person = self._person(nordland, name, email, login=email == "teamleder@demo.no")
                add_member(team, person, role, profession)
        propose_timeline(learning)
        propose_report_periods(learning)
        leknes = Team.objects.get(network=learning, unit="Leknes sykehjem, avdeling 2")
        self._measures(leknes, falls)
        self._driver_diagram(leknes, falls)
        self._board(leknes)
        self._reports(learning)
        self._assessments(leknes, start, today)

        ongoing, _ = Network.objects.get_or_create(
            centre=nordland,
            title="Forbedringsnettverket Vestvågøy",
            defaults={"kind": NetworkKind.IMPROVEMENT, "start_date": dt.date(2024, 1, 15)},
        )
        self._gatherings(ongoing, today)

        early = FocusArea.objects.get(slug="tidlig-oppdagelse")
        bergen, _ = Network.objects.get_or_create(
            centre=vestland,
            title=f"Læringsnettverk tidlig oppdagelse {start.year}–{start.year + 1}",
            defaults={
                "kind": NetworkKind.LEARNING,
                "start_date": start,
                "end_date": dt.date(start.year + 1, 6, 1),
            },
        )
        bergen.focus_areas.add(early)
        Team.objects.get_or_create(
            network=bergen,
            municipality=municipalities["4601"],
            unit="Løvåsen sykehjem",
            defaults={"focus_area": early},
        )
        propose_timeline(bergen)
        advance_statuses(today)
        return self._agreements(learning)

    def _gatherings(self, network, today):
        """Two-day gatherings: the last one held, with notes; the next one open."""
        held_day = weekday_on_or_after(today - dt.timedelta(days=60), TUESDAY)
        next_day = weekday_on_or_after(today + dt.timedelta(days=45), TUESDAY)
        held, _ = Session.objects.get_or_create(
            network=network,
            kind=SessionKind.GATHERING,
            number=1,
            defaults={
                "starts_at": at_oslo(held_day, dt.time(10)),
                "ends_at": at_oslo(held_day + dt.timedelta(days=1), dt.time(15)),
                "place": "Leknes, Vestvågøy rådhus",
                "status": SessionStatus.HELD,
            },
        )
        notes = gatherings.settings_for(held)
        if not notes.where_we_are:
            notes.where_we_are = "Alle deltakerne har prøvd ut tavlemøter i egen enhet."
            notes.decisions = "Neste samling handler om pasientforløpet mellom sykehus og kommune."
            notes.bring_next_time = "Ta med én erfaring med overføringer fra sykehuset."
            notes.save()
        upcoming, _ = Session.objects.get_or_create(
            network=network,
            kind=SessionKind.GATHERING,
            number=2,
            defaults={
                "starts_at": at_oslo(next_day, dt.time(10)),
                "ends_at": at_oslo(next_day + dt.timedelta(days=1), dt.time(15)),
                "place": "Leknes, Vestvågøy rådhus",
            },
        )
        settings = gatherings.settings_for(upcoming)
        if not settings.registration_open:
            settings.registration_open, settings.capacity = True, 40
            settings.save()
        if not upcoming.agenda_items.exists():
            gatherings.propose(
                upcoming,
                title="Tavlemøter i hjemmetjenesten",
                summary="Erfaringer etter et halvt år med daglige tavlemøter.",
                minutes=45,
                proposer_name="Hilde Andersen",
                proposer_email="hilde.andersen@demo.no",
                organisation="Flakstad kommune",
                status=ProposalStatus.ACCEPTED,
                day=1,
                starts=dt.time(10, 30),
            )
            gatherings.propose(
                upcoming,
                title="Utskrivning fra sykehus: hva trenger vi?",
                summary="Samtale mellom sykehuset og kommunene.",
                minutes=60,
                proposer_name="Per Olsen",
                proposer_email="per.olsen@demo.no",
                organisation="Nordlandssykehuset",
            )
            gatherings.publish_programme(upcoming)
        if not upcoming.registrations.exists():
            for name, email, organisation, role, side in [
                (
                    "Hilde Andersen",
                    "hilde.andersen@demo.no",
                    "Flakstad kommune",
                    ParticipantRole.LEADER,
                    Side.MUNICIPALITY,
                ),
                (
                    "Per Olsen",
                    "per.olsen@demo.no",
                    "Nordlandssykehuset",
                    ParticipantRole.DEVELOPMENT,
                    Side.HOSPITAL,
                ),
                (
                    "Siri Berg",
                    "siri.berg@demo.no",
                    "Brukerrådet i Vestvågøy",
                    ParticipantRole.USER_REPRESENTATIVE,
                    Side.OTHER,
                ),
            ]:
                gatherings.register(
                    upcoming,
                    name=name,
                    email=email,
                    organisation=organisation,
                    role=role,
                    side=side,
                )
        if not network.documents.exists():
            talk = upcoming.agenda_items.filter(status=ProposalStatus.ACCEPTED).first()
            knowledge.add_document(
                network,
                name="tavlemoter.pdf",
                data=self._slides(
                    "Tavlemøter i hjemmetjenesten",
                    "Fem minutter hver morgen: risiko, tiltak og hvem gjør hva.",
                ),
                title="Tavlemøter i hjemmetjenesten (lysark)",
                description="Lysarkene fra innlegget på samlingen.",
                session=upcoming,
                agenda_item=talk,
                public=True,  # the talk's slides, on the gathering's public programme
            )

    @staticmethod
    def _slides(title, text):
        """A small PDF for the knowledge base."""
        import weasyprint

        html = f"<html lang='nb'><body><h1>{title}</h1><p>{text}</p></body></html>"
        return weasyprint.HTML(string=html).write_pdf()

    @staticmethod
    def _assessments(team, start, today):
        """Snakk om forbedring at the start (closed by the coordinator) and midway."""
        if team.assessments.exists():
            return
        first = assessments.record(
            team,
            label="Oppstart",
            held_on=start,
            answers=[(n, 1 + n % 2, "") for n in range(1, 10)],
        )
        assessments.close(first)
        assessments.record(
            team,
            label="Midtveis",
            held_on=min(today, start + dt.timedelta(days=120)),
            answers=[
                (n, 2 + n % 3 // 2, "Tavlemøtene hjelper." if n == 2 else "") for n in range(1, 10)
            ],
        )

    def _measures(self, team, focus_area):
        """A year of monthly data: fewer falls after the PDSA cycles started."""
        team.progress_plan = (
            "Uke 38–40: kartlegge fallrisiko. Oktober: teste sklisikre "
            "sokker på én avdeling. November: spre til hele sykehjemmet."
        )
        team.save(update_fields=["progress_plan"])
        falls = team.measures.filter(name="Antall fall").first() or create_measure(
            team,
            recommended=focus_area.recommended_measures.get(name="Antall fall"),
            period="month",
            goal=3,
        )
        assessed = team.measures.filter(
            name="Andel pasienter risikovurdert for fall"
        ).first() or create_measure(
            team,
            recommended=focus_area.recommended_measures.get(
                name="Andel pasienter risikovurdert for fall"
            ),
            period="month",
            goal=90,
        )
        months = [dt.date(2025 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(9, 23)]
        fall_counts = [9, 8, 10, 9, 11, 8, 9, 5, 4, 3, 4, 2, 3, 2]
        assessed_counts = [10, 12, 9, 11, 10, 14, 16, 18, 20, 21, 22, 22, 23, 23]
        save_series(falls, [(m, None, None, v) for m, v in zip(months, fall_counts, strict=True)])
        save_series(
            assessed, [(m, n, 24, None) for m, n in zip(months, assessed_counts, strict=True)]
        )
        if not team.pdsa_cycles.exists():
            PDSACycle.objects.create(
                team=team,
                measure=falls,
                change="Sklisikre sokker til beboere med fallrisiko",
                prediction="Færre fall om natten",
                outcome="Tre av fire avdelinger tok det i bruk",
                learning="Sokkene må ligge klare ved sengen",
                next_step="Spre til alle avdelinger",
                start_date=dt.date(2026, 3, 1),
                end_date=dt.date(2026, 4, 15),
            )
            PDSACycle.objects.create(
                team=team,
                measure=assessed,
                change="Fallrisiko vurderes ved innkomst",
                prediction="Alle nye beboere vurderes første døgn",
                start_date=dt.date(2026, 2, 1),
            )

    def _driver_diagram(self, team, focus_area):
        """Two primary drivers, three secondary ones, and change ideas from the
        bundle and the team's own, linked to the PDSA cycles that test them."""
        if Driver.objects.filter(diagram__team=team).exists():
            return
        knowledge = diagrams.add_driver(team, "Ansatte kjenner beboernes fallrisiko")
        assessed = diagrams.add_driver(
            team, "Fallrisiko vurderes ved innkomst og ved endret tilstand", parent=knowledge
        )
        medicines = diagrams.add_driver(team, "Legemidler som øker fallrisikoen", parent=knowledge)
        safe = diagrams.add_driver(team, "Trygge omgivelser og aktive beboere")
        night = diagrams.add_driver(team, "Trygg natt: lys, sko og hjelpemidler", parent=safe)
        bundle = list(focus_area.interventions.order_by("position", "id"))
        diagrams.add_from_bundle(team, bundle[0], driver=assessed)
        diagrams.add_from_bundle(team, bundle[2], driver=medicines)
        diagrams.add_from_bundle(team, bundle[4], driver=night)
        cycles = {cycle.change: cycle for cycle in team.pdsa_cycles.select_related("measure")}
        socks = cycles["Sklisikre sokker til beboere med fallrisiko"]
        diagrams.add_idea(
            team,
            "Sklisikre sokker til beboere med fallrisiko",
            driver=night,
            cycles=[socks],
            measures=[socks.measure],
        )
        on_arrival = cycles["Fallrisiko vurderes ved innkomst"]
        idea = team.driver_diagram.ideas.get(intervention=bundle[0])
        diagrams.edit_idea(
            idea,
            version=idea.version,
            text=idea.text,
            driver=assessed,
            cycles=[on_arrival],
            measures=[on_arrival.measure],
        )
        diagrams.add_from_bundle(team, bundle[3])  # not placed under a driver yet

    def _board(self, team):
        """A few cards on the improvement board, through the services."""
        if team.board_cards.exists():
            return
        leader = team.members.get(role=Role.TEAM_LEADER).person
        for kind, title, detail, column, change in BOARD_CARDS:
            cycle = team.pdsa_cycles.filter(change__startswith=change).first() if change else None
            card = board.add_card(team, leader, title=title, kind=kind, detail=detail, cycle=cycle)
            if column != "new":
                board.move_card(card, column, version=card.version)

    def _reports(self, network):
        """The first status report of three teams (the demo team leader's own is left
        to write), each with the team's progress score; the coordinator has confirmed
        two of them, one adjusted with a comment."""
        period = network.report_periods.order_by("due_on").first()
        coordinator = User.objects.get(email="koordinator@demo.no")
        for unit, proposed, confirmed, comment in DEMO_REPORTS:
            team = Team.objects.get(network=network, unit=unit)
            if StatusReport.objects.filter(team=team, period=period).exists():
                continue
            leader = team.members.select_related("person").get(role=Role.TEAM_LEADER).person
            leader = self._person(network.centre, leader.name, leader.email, login=True)
            report, missing = report_services.save_and_submit(
                StatusReport(team=team, period=period),
                user=leader.user,
                cycles=[],
                what_worked="Tavlemøte med fallrisiko hver morgen",
                challenges="Mange vikarer i helgene",
                next_steps="Teste sklisikre sokker på én avdeling til",
                proposed_score=Decimal(proposed),
            )
            assert not missing, missing
            if confirmed:
                report_services.confirm_score(
                    report,
                    score=Decimal(confirmed),
                    comment=comment,
                    by=coordinator,
                    seen_version=report.score_version,
                )

    def _agreements(self, network):
        """One agreement signed, and a fresh link for the demo unit leader's."""
        teams = {team.unit: team for team in network.teams.select_related("agreement")}
        svolvaer = teams["Svolvær sykehjem"].agreement
        if svolvaer.status != AgreementStatus.SIGNED:
            token = agreement_services.send(svolvaer)
            agreement_services.sign(
                token,
                signer_name="Tone Eriksen",
                signer_title="Avdelingsleder",
                top_manager_name="Kommunalsjef Helse",
                top_manager_email="kommunalsjef@demo.no",
                shown_sha256=sha256_hex(agreement_services.render_document(svolvaer)),
                ip="127.0.0.1",
                user_agent="seed_demo",
            )
        leknes = teams["Leknes sykehjem, avdeling 2"].agreement
        if leknes.status == AgreementStatus.SIGNED:
            return None
        token = agreement_services.send(leknes)
        return settings.SITE_URL + reverse("agreements:sign", args=[token])

    def _user(self, email, **fields):
        user, _ = User.objects.get_or_create(email=email, defaults=fields)
        user.set_password(DEMO_PASSWORD)
        return user

    def _person(self, centre, name, email, *, title="", login=False):
        person, _ = Person.objects.get_or_create(
            centre=centre, email=email, defaults={"name": name, "title": title}
        )
        if login and person.user_id is None:
            first, _, last = name.partition(" ")
            user = self._user(email, first_name=first, last_name=last)
            user.save()
            person.user = user
            person.save(update_fields=["user"])
        return person

    def _coordinator(self, centre, name, email):
        person = self._person(centre, name, email, title="Koordinator", login=True)
        appoint_coordinator(person)
        return person
