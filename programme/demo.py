"""The demo's programme: the work plan "Focus op Urgentie april 2020 – april
2021" (Team Veiligheid en Wijkgericht Werken, gemeente Venlo; college of
26 May 2020), as its sections 5 to 7 state it:

- the ten projects and inzetten of section 5 with their area and method(s);
- the ten budget lines of section 6 (€ 335.500 in total, "te besteden uit
  versterkingsmiddelen Ondermijningsfonds"), each linked to the project it
  funds; "Procesmanager Ondermijning" and "P.G.A.-specialist Jeugd van VKMP"
  fund no project row of section 5 and stay unlinked, and two projects
  ("Analyse/ criminaliteitsbeeld", "Last onder dwangsom") have no line of
  their own;
- goals where the text states a number (five Jonge Helden sessions of
  fifteen children, 0,5 FTE Bibob, two flexible cameras, a top 10 of quick
  wins in Q4, one crime analysis of Q4, the MMA campaign), with readings;
- the governance bodies of section 7.

The plan's own spelling slips ("Ondernijning", "Oermijningstafel") are
corrected; the areas are written as the cases write them
("Vastenavondkamp/Blerick"). Measurements, commitments, spending and
milestones are made up for the demo, within the plan's period and lines.
Everything goes through the services, as the pages do; no draw from the
demo's random generator.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from . import services
from .models import BudgetEntry, GovernanceBody, Method, Project

NAME = "Focus op Urgentie april 2020 – april 2021"
OWNER = "Gemeente Venlo"
PARTNERS = ("Politie Eenheid Limburg", "Openbaar Ministerie Limburg")
STARTS_ON = date(2020, 4, 1)
ENDS_ON = date(2021, 3, 31)
TOTAL = Decimal("335500.00")
FUNDING = "versterkingsmiddelen Ondermijningsfonds"

WHOLE = "Gehele gemeente"
BLERICK = "Vastenavondkamp/Blerick"
Q4 = "Q4"

INFO, S, B = Method.INFORMATION, Method.SYSTEM, Method.ADMINISTRATIVE
C, K, H = Method.CO_CREATION, Method.COMMUNICATION, Method.SOCIAL

# Section 5, in the plan's order: name, area, methods, owner, status,
# description (the plan's, shortened where it runs on).
PROJECTS = [
    ("Data-analyse", WHOLE, [INFO], "coordinator", Project.Status.RUNNING,
     "Inzet van datascience om witwasconstructies, vastgoedfraude, drugs of "
     "andere manifestaties van ondermijnende criminaliteit op basis van data in "
     "Venlo bloot te leggen. Zo mogelijk op Noord-Limburgse schaal (Regiodeal)."),
    ("Extra camera's Blerick", BLERICK, [INFO], "coordinator", Project.Status.RUNNING,
     "Met het oog op de aanwijzing van Klingerberg (verblijfsontzeggingen) en de "
     "jeugdgroep die zich daar manifesteert installeren we 2 (flexibele) camera's "
     "om strafbare feiten te constateren en te handhaven."),
    ("Analyse/ criminaliteitsbeeld", Q4, [INFO], "politie", Project.Status.RUNNING,
     "Zoals politie/DRIO dat voor Blerick deed: een criminaliteitsanalyse die de "
     "criminele impact op de wijk benoemt, zo mogelijk met namen en rugnummers. "
     "De subjecten worden geagendeerd voor de ondermijningstafel."),
    ("Versterkte Bibobcapaciteit", WHOLE, [B], "bibob", Project.Status.RUNNING,
     "Voortzetting van de extra inzet van 0,5 FTE voor Bibob, met name "
     "vastgoedtransacties en bouw- en exploitatievergunningen."),
    ("Intensiveren controles en interventies", WHOLE, [B], "coordinator",
     Project.Status.RUNNING,
     "Panden die vanuit meldingen, de veiligheidstafel, het handhavingsoverleg "
     "of de ondermijningstafel negatief opvallen worden bezocht door het "
     "bestuurlijk interventieteam. Zo mogelijk op Noord-Limburgse schaal."),
    ("Last onder dwangsom", WHOLE, [B], "jurist", Project.Status.RUNNING,
     "Na een bestuurlijke rapportage van de politie over drugsdealen legt de "
     "gemeente de dader een last onder dwangsom op."),
    ("Integrale regie doelgroepen en projecten Blerick", BLERICK, [S],
     "casusregisseur", Project.Status.PLANNED,
     "Casusregie op de volwassen doelgroep van Pandora en een integrale regie die "
     "Pandora, de PGA Jeugd van Vastenavondkamp, Jonge Helden, Vreedzame School "
     "en de ruimtelijke visie verbindt. Of dit binnen bestaande capaciteit kan, "
     "wordt op korte termijn onderzocht."),
    ("Uitbreiding Jonge Helden", BLERICK, [S, H], "casusregisseur",
     Project.Status.RUNNING,
     "Meer positieve rolmodellen voor scholieren (groep 7 en 8) in "
     "Vastenavondkamp/Blerick. Per sessie doen 15 kinderen mee; we streven naar "
     "5 sessies in het jaar 2020 en 2021."),
    ("Samen Creëren Q4", Q4, [C], "coordinator", Project.Status.RUNNING,
     "Inzet van sociaal ontwerpers voor de eerste aanzet Samen Creëren "
     "(placemaking) tussen Helschriksel en Puteanusstraat, van Maaskade tot "
     "Mgr. Nolensplein."),
    ("Vergroten impact", BLERICK, [K, H], "burgemeester", Project.Status.RUNNING,
     "Bestuurlijke, strafrechtelijke en integrale acties communiceren; "
     "MMA-campagne (Meld Misdaad Anoniem) via Google Ads in Blerick."),
]  # fmt: skip

# Section 6, in the plan's order: name, amount, project funded, period note.
BUDGET_LINES = [
    ("Procesmanager Ondermijning", "33000.00", None, ""),
    ("P.G.A.-specialist Jeugd van VKMP", "90000.00", None,
     "vanaf 1 maart 2020 – 1 maart 2021"),
    ("Versterken Bibobcapaciteit", "40000.00", "Versterkte Bibobcapaciteit", ""),
    ("Data-analyse", "15000.00", "Data-analyse", ""),
    ("Extra camera's Blerick", "15000.00", "Extra camera's Blerick", ""),
    ("Intensiveren controles en interventies", "50000.00",
     "Intensiveren controles en interventies", ""),
    ("Samen Creëren Q4", "20000.00", "Samen Creëren Q4", ""),
    ("Communicatie/ vergroting impact", "10000.00", "Vergroten impact", ""),
    ("Uitbreiding Jonge Helden", "12500.00", "Uitbreiding Jonge Helden", ""),
    ("Integrale regie projecten en doelgroepen Blerick", "50000.00",
     "Integrale regie doelgroepen en projecten Blerick", ""),
]  # fmt: skip

END = date(2021, 3, 31)
# project, description, unit, target, target date, readings (date, value, note)
GOALS = [
    ("Uitbreiding Jonge Helden", "Sessies Jonge Helden", "sessies", "5", END,
     [(date(2020, 10, 1), "2", "Sessies in september op twee basisscholen."),
      (date(2021, 1, 15), "3", "Derde sessie na de kerstvakantie.")]),
    ("Uitbreiding Jonge Helden", "Kinderen die meededen (15 per sessie)",
     "kinderen", "75", END,
     [(date(2021, 1, 15), "44", "Eén kind viel uit in de derde sessie.")]),
    ("Versterkte Bibobcapaciteit", "Extra Bibob-capaciteit ingezet", "FTE",
     "0.5", date(2020, 6, 30),
     [(date(2020, 5, 1), "0.5", "Voortgezet vanuit het eerste procesjaar.")]),
    ("Extra camera's Blerick", "Flexibele camera's geplaatst", "camera's", "2",
     date(2020, 9, 30),
     [(date(2020, 8, 14), "1", "Eerste camera bij de Klingerberg."),
      (date(2020, 9, 25), "2", "")]),
    ("Samen Creëren Q4", "Top 10 'laaghangend fruit' opgelost", "knelpunten",
     "10", END,
     [(date(2020, 12, 1), "4", "Met bewoners en ondernemers vastgestelde top 10.")]),
    ("Analyse/ criminaliteitsbeeld", "Criminaliteitsanalyse Q4 opgeleverd",
     "analyse", "1", date(2020, 12, 31), []),
    ("Vergroten impact", "MMA-campagne via Google Ads gevoerd", "campagnes", "1",
     date(2020, 12, 31),
     [(date(2020, 11, 2), "1", "Campagne in Blerick, drie weken.")]),
]  # fmt: skip

# project, title, due, done
MILESTONES = [
    ("Extra camera's Blerick", "Camera's besteld", date(2020, 6, 30),
     date(2020, 6, 18)),
    ("Extra camera's Blerick", "Beide camera's in gebruik", date(2020, 9, 30),
     date(2020, 9, 25)),
    ("Uitbreiding Jonge Helden", "Vijfde sessie gehouden", date(2021, 3, 31), None),
    ("Integrale regie doelgroepen en projecten Blerick",
     "Onderzoek capaciteit integrale regie afgerond", date(2020, 7, 1),
     date(2020, 7, 10)),
    ("Samen Creëren Q4", "Top 10 met bewoners en ondernemers vastgesteld",
     date(2020, 9, 1), date(2020, 9, 15)),
    ("Samen Creëren Q4", "Kwaliteitskring Q4 geformeerd", date(2020, 12, 31), None),
    ("Analyse/ criminaliteitsbeeld", "Analyse besproken aan de ondermijningstafel",
     date(2021, 2, 1), None),
    ("Vergroten impact", "MMA-campagne gestart", date(2020, 10, 15),
     date(2020, 11, 2)),
]  # fmt: skip

# line, kind, amount, date, description, recorded by
COMMIT, SPEND = BudgetEntry.Kind.COMMITMENT, BudgetEntry.Kind.SPENDING
ENTRIES = [
    ("Procesmanager Ondermijning", COMMIT, "33000.00", date(2020, 4, 1),
     "Inhuur procesmanager, april 2020 – maart 2021", "coordinator"),
    ("Procesmanager Ondermijning", SPEND, "16500.00", date(2020, 9, 30),
     "Facturen april – september", "coordinator"),
    ("P.G.A.-specialist Jeugd van VKMP", COMMIT, "90000.00", date(2020, 4, 1),
     "Detachering P.G.A.-specialist", "coordinator"),
    ("P.G.A.-specialist Jeugd van VKMP", SPEND, "52500.00", date(2020, 9, 30),
     "Zeven maanden detachering", "coordinator"),
    ("Versterken Bibobcapaciteit", SPEND, "20000.00", date(2020, 10, 1),
     "0,5 FTE Bibob, eerste half jaar", "coordinator"),
    ("Extra camera's Blerick", COMMIT, "12400.00", date(2020, 6, 18),
     "Twee flexibele camera's met plaatsing", "coordinator"),
    ("Extra camera's Blerick", SPEND, "12400.00", date(2020, 9, 25),
     "Factuur camera's en plaatsing", "coordinator"),
    ("Data-analyse", COMMIT, "7500.00", date(2020, 11, 1),
     "Opdracht data-analyse (Regiodeal)", "coordinator"),
    ("Intensiveren controles en interventies", SPEND, "18250.00",
     date(2020, 12, 15), "Inzet interventieteam, controles juli – december",
     "coordinator"),
    ("Samen Creëren Q4", COMMIT, "20000.00", date(2020, 7, 1),
     "Opdracht twee sociaal ontwerpers", "coordinator"),
    ("Samen Creëren Q4", SPEND, "8000.00", date(2020, 12, 1),
     "Eerste termijn sociaal ontwerpers", "coordinator"),
    ("Communicatie/ vergroting impact", SPEND, "3750.00", date(2020, 11, 23),
     "MMA-campagne Google Ads Blerick", "coordinator"),
    ("Uitbreiding Jonge Helden", SPEND, "7500.00", date(2021, 1, 15),
     "Drie sessies Jonge Helden", "coordinator"),
]  # fmt: skip

ST, RG = GovernanceBody.Kind.STUURGROEP, GovernanceBody.Kind.REGIEGROEP
KK, OT = GovernanceBody.Kind.KWALITEITSKRING, GovernanceBody.Kind.ONDERMIJNINGSTAFEL
CORE = "Vertegenwoordigers van gemeente, woningcorporaties en provincie"
CIRCLE = (
    "Gemeente, politie en woningcorporaties, met bewoners, ondernemers en scholen "
    "(publiek-private samenwerking)"
)
# Section 7: kind, name, area, members, note. The plan sets no meeting
# frequency (the figures that drew the structure are not in the text): empty.
GOVERNANCE = [
    (ST, "Stuurgroep Vastenavondkamp", "Vastenavondkamp", CORE,
     "Bestaande structuur. Vertegenwoordiging van de politie ontbreekt nog; "
     "daarin willen we in 2020 voorzien."),
    (RG, "Regiegroep Vastenavondkamp", "Vastenavondkamp", CORE,
     "Bestaande structuur. Vertegenwoordiging van de politie ontbreekt nog."),
    (KK, "Kwaliteitskring Vastenavondkamp", "Vastenavondkamp", CIRCLE,
     "Bestaat nog niet; richt zich op operationeel niveau op leefbaarheid en "
     "veiligheid."),
    (ST, "Stuurgroep Q4", "Q4", CORE, "Functioneert al (dezelfde structuur)."),
    (RG, "Regiegroep Q4", "Q4", CORE, "Dezelfde structuur als Vastenavondkamp."),
    (KK, "Kwaliteitskring Q4", "Q4", CIRCLE, "Moet nog geformeerd worden."),
    (OT, "Ondermijningstafel", "Gehele gemeente",
     "Gemeente, politie, OM, Belastingdienst en RIEC",
     "Opgericht in het eerste procesjaar; subjecten uit de analyses worden hier "
     "geagendeerd."),
]  # fmt: skip


def seed(demo) -> None:
    users, orgs = demo.users, demo.orgs
    editor = users["coordinator"]
    programme = services.programme_create(
        name=NAME,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        organisation=orgs[OWNER],
        total_budget=TOTAL,
        funding_source=FUNDING,
        partners=[orgs[name] for name in PARTNERS],
    )
    projects = {}
    for position, (name, area, methods, owner, status, text) in enumerate(PROJECTS):
        projects[name] = services.project_create(
            programme=programme,
            name=name,
            area=area,
            methods=methods,
            owner=users[owner],
            description=text,
            status=status,
            position=position,
        )
    lines = {}
    for position, (name, amount, project, note) in enumerate(BUDGET_LINES):
        lines[name] = services.budget_line_create(
            programme=programme,
            name=name,
            amount=Decimal(amount),
            project=projects[project] if project else None,
            period_note=note,
            position=position,
        )
    for project, text, unit, target, due, readings in GOALS:
        goal = services.goal_create(
            project=projects[project],
            description=text,
            unit=unit,
            target_value=Decimal(target),
            target_date=due,
        )
        for day, value, note in readings:
            services.measurement_record(
                goal=goal, user=editor, measured_on=day, value=Decimal(value), note=note
            )
    for project, title, due, done in MILESTONES:
        milestone = services.milestone_create(
            project=projects[project], title=title, due_on=due
        )
        if done is not None:
            services.milestone_mark_done(milestone=milestone, user=editor, done_on=done)
    for line, kind, amount, day, text, who in ENTRIES:
        services.budget_entry_record(
            line=lines[line],
            user=users[who],
            kind=kind,
            amount=Decimal(amount),
            booked_on=day,
            description=text,
        )
    for position, (kind, name, area, members, note) in enumerate(GOVERNANCE):
        services.governance_body_create(
            programme=programme,
            kind=kind,
            name=name,
            area=area,
            members=members,
            note=note,
            position=position,
        )
