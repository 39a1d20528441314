"""The focus areas of I trygge hender 24/7 for nursing homes and home care.

National reference data, needed in every installation. The bundles and
measures are a short summary for the product; each centre's coordinators can
refine them in the admin. Running it again updates nothing that exists.
"""

from django.db import migrations

FOCUS_AREAS = [
    {
        "slug": "tidlig-oppdagelse",
        "name": "Tidlig oppdagelse av forverret tilstand",
        "summary": "Systematisk observasjon og kommunikasjon slik at forverring hos "
                   "pasienten oppdages og håndteres tidlig.",
        "interventions": [
            "Kartlegg vitale parametre (NEWS2) ved mistanke om endret tilstand",
            "Bruk ISBAR i kommunikasjon med lege og legevakt",
            "Lag rutiner for observasjon og oppfølging ved endring i tilstand",
            "Styrk observasjonskompetansen med jevnlig trening",
        ],
        "measures": [
            ("Andel pasienter med målte vitale parametre ved endret tilstand",
             "Teller: pasienter med NEWS2 registrert ved endret tilstand. "
             "Nevner: pasienter med endret tilstand.", "proportion", "month", "up"),
            ("Andel henvendelser til lege strukturert etter ISBAR",
             "Teller: henvendelser etter ISBAR. Nevner: alle henvendelser til lege.",
             "proportion", "month", "up"),
            ("Antall uplanlagte sykehusinnleggelser", "Antall per måned.", "count",
             "month", "down"),
        ],
    },
    {
        "slug": "fall",
        "name": "Forebygging av fall",
        "summary": "Risikovurdering og individuelle tiltak som reduserer fall og "
                   "fallskader.",
        "interventions": [
            "Vurder fallrisiko ved innkomst og ved endret tilstand",
            "Lag individuell tiltaksplan for pasienter med fallrisiko",
            "Gjennomgå legemidler som øker fallrisikoen",
            "Legg til rette for fysisk aktivitet og styrke- og balansetrening",
            "Tilpass miljøet: lys, sko, hjelpemidler og fjerning av snublefeller",
        ],
        "measures": [
            ("Andel pasienter risikovurdert for fall",
             "Teller: pasienter med dokumentert fallrisikovurdering. Nevner: alle pasienter.",
             "proportion", "month", "up"),
            ("Antall fall", "Antall registrerte fall per periode.", "count", "week", "down"),
            ("Antall fall med skade", "Fall som gir skade, per måned.", "count", "month",
             "down"),
            ("Dager mellom fall", "Antall dager siden forrige fall.", "value", "week", "up"),
        ],
    },
    {
        "slug": "trykksar",
        "name": "Forebygging av trykksår",
        "summary": "Risikovurdering, hudinspeksjon og trykkavlastning for å hindre trykksår.",
        "interventions": [
            "Vurder risiko for trykksår ved innkomst og ved endret tilstand",
            "Inspiser huden daglig hos pasienter i risiko",
            "Sørg for trykkavlastning og reposisjonering etter plan",
            "Kartlegg og følg opp ernæring",
        ],
        "measures": [
            ("Andel pasienter risikovurdert for trykksår",
             "Teller: pasienter med dokumentert risikovurdering. Nevner: alle pasienter.",
             "proportion", "month", "up"),
            ("Antall nye trykksår", "Nye trykksår kategori 2–4 per måned.", "count",
             "month", "down"),
            ("Andel pasienter i risiko med tiltaksplan",
             "Teller: pasienter i risiko med tiltaksplan. Nevner: pasienter i risiko.",
             "proportion", "month", "up"),
        ],
    },
    {
        "slug": "underernaering",
        "name": "Forebygging av underernæring",
        "summary": "Ernæringsscreening og individuell ernæringsplan for pasienter i risiko.",
        "interventions": [
            "Vei pasienten ved innkomst og deretter månedlig",
            "Screen for ernæringsmessig risiko (MNA-SF eller MUST)",
            "Lag ernæringsplan for pasienter i risiko",
            "Følg opp matinntak og måltidsmiljø",
        ],
        "measures": [
            ("Andel pasienter screenet for ernæringsmessig risiko",
             "Teller: screenede pasienter. Nevner: alle pasienter.", "proportion",
             "month", "up"),
            ("Andel pasienter i risiko med ernæringsplan",
             "Teller: pasienter i risiko med plan. Nevner: pasienter i risiko.",
             "proportion", "month", "up"),
        ],
    },
    {
        "slug": "legemiddelgjennomgang",
        "name": "Legemiddelgjennomgang og legemiddelsamstemming",
        "summary": "Riktig legemiddelbruk gjennom strukturert gjennomgang og samstemte "
                   "legemiddellister.",
        "interventions": [
            "Gjennomfør legemiddelgjennomgang ved innkomst og minst årlig",
            "Samstem legemiddellisten ved overganger mellom tjenester",
            "Bruk tverrfaglig team med lege, sykepleier og gjerne farmasøyt",
        ],
        "measures": [
            ("Andel pasienter med legemiddelgjennomgang siste 12 måneder",
             "Teller: pasienter med dokumentert gjennomgang. Nevner: alle pasienter.",
             "proportion", "month", "up"),
            ("Andel pasienter med samstemt legemiddelliste ved innkomst",
             "Teller: innkomster med samstemt liste. Nevner: alle innkomster.",
             "proportion", "month", "up"),
        ],
    },
    {
        "slug": "urinveisinfeksjoner",
        "name": "Forebygging av urinveisinfeksjoner",
        "summary": "Færre urinveisinfeksjoner gjennom riktig bruk av kateter og god "
                   "hygiene.",
        "interventions": [
            "Bruk urinkateter bare ved dokumentert indikasjon",
            "Vurder daglig om kateteret fortsatt trengs",
            "Følg prosedyre for innleggelse og stell av kateter",
            "Styrk håndhygiene og basale smittevernrutiner",
        ],
        "measures": [
            ("Andel kateterbærere med dokumentert indikasjon",
             "Teller: pasienter med kateter og indikasjon. Nevner: pasienter med kateter.",
             "proportion", "month", "up"),
            ("Antall urinveisinfeksjoner", "Behandlede infeksjoner per måned.", "count",
             "month", "down"),
            ("Kateterdøgn", "Sum døgn med kateter per måned.", "value", "month", "down"),
        ],
    },
]


def load(apps, schema_editor):
    FocusArea = apps.get_model("network", "FocusArea")
    Intervention = apps.get_model("network", "Intervention")
    RecommendedMeasure = apps.get_model("network", "RecommendedMeasure")
    for area in FOCUS_AREAS:
        focus_area, created = FocusArea.objects.get_or_create(
            slug=area["slug"], defaults={"name": area["name"], "summary": area["summary"]}
        )
        if not created:
            continue
        Intervention.objects.bulk_create(
            Intervention(focus_area=focus_area, position=position, text=text)
            for position, text in enumerate(area["interventions"], start=1)
        )
        RecommendedMeasure.objects.bulk_create(
            RecommendedMeasure(focus_area=focus_area, name=name, definition=definition,
                               kind=kind, period=period, direction=direction)
            for name, definition, kind, period, direction in area["measures"]
        )


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
