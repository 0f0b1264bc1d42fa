"""Group overviews, plans and the plan library for the demo school (run after `seed_demo`;
see `seed_demo_overviews`).

Last school year's second period for every group of De Regenboog, discussed, with factors
and signals from the test results, and its group plan made from the library, carried out and
evaluated (the outcomes become this year's specific needs); this year's current period
started from it (so every row shows what it continued from), and in Groep 5 (the demo
teacher's) a few rows filled in further, one pupil signalled with needs, and suggestions left
for the teacher to decide.
Random but seeded; writes one record at a time through the actions, so history records all.
"""

import datetime
import random

from django.db import transaction

from accounts.models import Membership, Role
from audit.history import acting_as
from groupplans import actions, plan_actions
from groupplans.grid import build
from groupplans.models import (
    GroupOverview,
    OfferTemplate,
    Outcome,
    Placement,
    PlanArea,
    SignalDecision,
    Subgroup,
    SubgroupKind,
)
from groupplans.plan_actions import ensure_default_areas
from pupils.models import Group, SubjectArea
from schools.models import Period, School

DEMO_BRIN = "99AA"

STIMULATING = [
    "Werkt zelfstandig en plant goed.",
    "Leest graag, ook thuis.",
    "Helpt klasgenoten en is geliefd in de groep.",
    "Vraagt om hulp wanneer nodig.",
    "Sterk in rekenen; denkt hardop na.",
    "Gemotiveerd door complimenten.",
    "Creatief en vol ideeën bij projecten.",
    "Ouders zijn betrokken en lezen thuis mee.",
]
HINDERING = [
    "Snel afgeleid bij drukte in de klas.",
    "Faalangstig bij toetsen.",
    "Werkt slordig onder tijdsdruk.",
    "Moeite met het automatiseren van tafels.",
    "Leest nog niet vlot; raadt woorden.",
    "Vindt samenwerken lastig.",
    "Komt vaak moe op school.",
]
NEEDS = {
    "need_instruction": "heeft verlengde instructie nodig met een stappenplan op papier.",
    "need_assignments": "heeft korte opdrachten nodig met tussentijdse controle.",
    "need_environment": "heeft een rustige werkplek nodig, met koptelefoon bij zelfstandig werken.",
    "need_feedback": "heeft directe, positieve feedback nodig op inzet en aanpak.",
    "need_classmates": "heeft een vast maatje nodig bij samenwerkingsopdrachten.",
    "need_teacher": "heeft een leerkracht nodig die vooraf uitlegt wat er gaat komen.",
    "need_parents": "heeft ouders nodig die thuis tien minuten per dag de tafels oefenen.",
}


def _period_on(school: School, day: datetime.date) -> Period | None:
    return Period.objects.filter(school=school, start_date__lte=day, end_date__gte=day).first()


def _ib(school: School):
    membership = Membership.objects.filter(school=school, role=Role.CARE_COORDINATOR).first()
    return membership.user if membership else None


def _teacher(group: Group):
    assignment = group.assignments.order_by("start_date").first()
    return assignment.teacher if assignment else None


def _fill(overview: GroupOverview, rng: random.Random, by, *, share: float) -> None:
    """Factors for a share of the pupils; the suggested signals confirmed for some."""
    for item in build(overview):
        if item.has_left or rng.random() > share:
            continue
        row = item.row
        values = {
            "stimulating": rng.choice(STIMULATING),
            "hindering": rng.choice(HINDERING) if rng.random() < 0.6 else "",
        }
        row = actions.save_row(row=row, values=values, seen_version=row.version, by=by)
        for suggestion in item.suggestions[:1]:
            if rng.random() < 0.5:
                row = actions.decide_suggestion(
                    row=row,
                    key=suggestion.key,
                    suggestion=suggestion.reason,
                    decision=SignalDecision.CONFIRMED,
                    reason="",
                    by=by,
                )
                row = actions.save_row(row=row, values=NEEDS, seen_version=row.version, by=by)


@transaction.atomic
def seed(today: datetime.date) -> int:
    """Create the demo overviews; returns how many (0 when they exist already)."""
    school = School.objects.filter(brin=DEMO_BRIN, dependance_code="").first()
    current = _period_on(school, today) if school else None
    if current is None or GroupOverview.objects.filter(group__school=school).exists():
        return 0
    rng = random.Random(2026)
    ib = _ib(school)
    made = 0
    previous = (
        Period.objects.filter(school=school, end_date__lt=current.start_date)
        .order_by("-start_date")
        .first()
    )
    with acting_as(ib):
        if previous is not None:
            for group in Group.objects.filter(school=school, school_year=previous.school_year):
                overview = actions.create_overview(group=group, period=previous, by=ib)
                _fill(overview, rng, ib, share=0.8)
                # Last year's meetings are history: nobody needs an e-mail about them now.
                actions.send_overview(overview=overview, questions="", by=ib, notify=False)
                actions.mark_discussed(overview=overview, by=ib)
                _evaluated_plan(overview, rng, _teacher(group) or ib)
                made += 1
        for group in Group.objects.filter(school=school, school_year=current.school_year):
            teacher = _teacher(group) or ib
            with acting_as(teacher):
                overview = actions.create_overview(group=group, period=current, by=teacher)
                if group.name == "Groep 5":
                    _fill(overview, rng, teacher, share=0.3)
            made += 1
    return made


OUTCOME_NOTES = {
    Outcome.REACHED: ("Korte, dagelijkse herhaling aan de instructietafel.", ""),
    Outcome.PARTLY: (
        "Werken met een stappenplan op de tafel.",
        "Drie weken uitval van de onderwijsassistent.",
    ),
    Outcome.NOT_REACHED: ("", "Te weinig tijd voor verlengde instructie naast de groep."),
}


def _evaluated_plan(overview: GroupOverview, rng: random.Random, teacher) -> None:
    """Last year's plan of a group, made from its overview with the library, carried out and
    evaluated, so this year's overview shows the outcomes as specific needs and each pupil's
    dossier has a plan in its history."""
    with acting_as(teacher):
        plan = plan_actions.create_plan(overview=overview, by=teacher)
        for section in plan.sections.all():
            plan_actions.accept_suggestions(section=section, by=teacher)
        for subgroup in Subgroup.objects.filter(section__plan=plan):
            if not subgroup.goal_didactic:  # no library entry fitted (emergent areas)
                subgroup.goal_didactic = "Doelen volgens de leerlijn van de methode."
                subgroup.goal_measure = "methodetoets"
                subgroup.goal_criterion = "80% goed"
                subgroup.goal_date = plan.period.end_date
                subgroup.save()
        plan = plan_actions.activate_plan(plan=plan, by=teacher)
        weights = [Outcome.REACHED] * 3 + [Outcome.PARTLY] * 2 + [Outcome.NOT_REACHED]
        with_pupils = Subgroup.objects.filter(section__plan=plan, placements__isnull=False)
        for subgroup in with_pupils.distinct().order_by("pk"):
            outcome = rng.choice(weights)
            helped, hindered = OUTCOME_NOTES[outcome]
            plan_actions.save_versioned(
                obj=subgroup,
                values={"outcome": outcome, "helped": helped, "hindered": hindered},
                seen_version=subgroup.version,
                by=teacher,
            )
        for placement in rng.sample(
            list(Placement.objects.filter(section__plan=plan)), k=min(3, plan.sections.count())
        ):
            plan_actions.save_versioned(
                obj=placement,
                values={"outcome": Outcome.PARTLY, "hindered": "Vaak afwezig in deze periode."},
                seen_version=placement.version,
                by=teacher,
            )
        plan_actions.evaluate_plan(plan=plan, by=teacher)


# The demo school's library of goals and approaches: per subject area of grades 3-8 an entry
# for the intensive, core and extension group, and a few for every area. Keys: the first
# subject area of a plan area (`PlanArea.subject_list`), ATTITUDE for part 2, None for all.
ATTITUDE = "attitude"
LIBRARY: list[tuple[str | None, str, str, dict[str, str]]] = [
    (
        SubjectArea.TECHNICAL_READING,
        SubgroupKind.INTENSIVE,
        "Technisch lezen zorggroep",
        {
            "goal_didactic": "Leest woorden van twee en meer lettergrepen vlot en foutloos en "
            "stijgt één AVI-niveau.",
            "goal_pedagogic": "Durft hardop te lezen in het groepje en ziet de eigen groei in "
            "de leesgrafiek.",
            "goal_measure": "DMT kaart 2 en 3 en de AVI-toets",
            "goal_criterion": "DMT: 10 woorden per minuut meer dan bij de vorige afname; AVI: "
            "één niveau hoger op beheersingsniveau.",
            "content": "Vloeiend lezen van woorden en korte teksten op instructieniveau; "
            "herhaald lezen van dezelfde tekst.",
            "approach": "Verlengde instructie aan de instructietafel volgens het "
            "directe-instructiemodel; vier keer per week 15 minuten RALFI-lezen (herhaald, "
            "begeleid lezen) met de leerkracht of de onderwijsassistent.",
            "materials": "Estafette zorgmateriaal, Connect Vloeiend lezen, RALFI-teksten op "
            "instructieniveau, leesgrafiek per leerling.",
        },
    ),
    (
        SubjectArea.TECHNICAL_READING,
        SubgroupKind.CORE,
        "Technisch lezen middengroep",
        {
            "goal_didactic": "Leest teksten op het eigen AVI-niveau vlot en met expressie.",
            "goal_pedagogic": "Leest zelfstandig en met plezier in een zelfgekozen boek tijdens "
            "het stillezen.",
            "goal_measure": "AVI-toets en DMT (middenafname)",
            "goal_criterion": "Eén AVI-niveau gegroeid; DMT-score op of boven de norm van de "
            "eigen jaargroep.",
            "content": "Leeslessen volgens Estafette: technisch lezen op het eigen niveau, "
            "tempolezen en duolezen.",
            "approach": "Directe instructie in de hele groep, daarna duolezen (een sterkere en "
            "een minder sterke lezer samen); dagelijks 15 minuten stillezen.",
            "materials": "Estafette leesboeken en werkboeken, klassenbibliotheek.",
        },
    ),
    (
        SubjectArea.TECHNICAL_READING,
        SubgroupKind.EXTENSION,
        "Technisch lezen plusgroep",
        {
            "goal_didactic": "Leest informatieve en verhalende teksten vlot en met goede "
            "intonatie voor aan een publiek.",
            "goal_pedagogic": "Plant het eigen lezen en kiest boeken die uitdagen.",
            "goal_measure": "AVI-toets en een voorleesbeoordeling met de rubric voorlezen",
            "goal_criterion": "AVI Plus behaald; op de rubric minimaal 'goed' voor intonatie, "
            "tempo en verstaanbaarheid.",
            "content": "Voorbereiden van voorleesmomenten in groep 3; een boekpresentatie.",
            "approach": "Compacten: alleen de kern van de les meedoen, daarna zelfstandig aan "
            "de verrijking; wekelijks tutorlezen met een leerling uit groep 3.",
            "materials": "Estafette plusmateriaal, uitdagende titels uit de "
            "klassenbibliotheek, rubric voorlezen.",
        },
    ),
    (
        SubjectArea.READING_COMPREHENSION,
        SubgroupKind.INTENSIVE,
        "Begrijpend lezen zorggroep",
        {
            "goal_didactic": "Past de strategieën voorspellen, onbekende woorden ophelderen en "
            "samenvatten toe bij een korte informatieve tekst.",
            "goal_pedagogic": "Stelt een vraag wanneer iets in de tekst niet duidelijk is.",
            "goal_measure": "Nieuwsbegrip-toets van de periode en een observatie met de "
            "strategiekaart",
            "goal_criterion": "70% van de vragen goed; past zelfstandig 2 van de 3 "
            "strategieën toe.",
            "content": "Teksten van Nieuwsbegrip op niveau A, met de woorden en het onderwerp "
            "vooraf besproken.",
            "approach": "Pre-teaching op maandag aan de instructietafel; de leerkracht doet "
            "de strategie hardop denkend voor (modelen), daarna samen lezen.",
            "materials": "Nieuwsbegrip niveau A, strategiekaart, woordweb.",
        },
    ),
    (
        SubjectArea.READING_COMPREHENSION,
        SubgroupKind.CORE,
        "Begrijpend lezen middengroep",
        {
            "goal_didactic": "Haalt de hoofdgedachte uit een informatieve tekst en vat de tekst "
            "samen in eigen woorden.",
            "goal_pedagogic": "Werkt actief samen in een tweetal en luistert naar de "
            "redenering van de ander.",
            "goal_measure": "Nieuwsbegrip-toets en Cito Begrijpend lezen (middenafname)",
            "goal_criterion": "75% goed op de Nieuwsbegrip-toets; op Cito minimaal het niveau "
            "van de vorige afname.",
            "content": "Wekelijkse Nieuwsbegrip-les (niveau B) en een tekst uit de zaakvakken.",
            "approach": "Directe instructie met modelen; coöperatieve werkvormen (denken-"
            "delen-uitwisselen, tweetal-tweetal).",
            "materials": "Nieuwsbegrip niveau B, zaakvakteksten, strategiekaart.",
        },
    ),
    (
        SubjectArea.READING_COMPREHENSION,
        SubgroupKind.EXTENSION,
        "Begrijpend lezen plusgroep",
        {
            "goal_didactic": "Beoordeelt de betrouwbaarheid van een tekst en onderbouwt een "
            "eigen mening met argumenten uit twee bronnen.",
            "goal_pedagogic": "Durft een standpunt in te nemen en staat open voor de "
            "argumenten van anderen.",
            "goal_measure": "Een betoog of discussie, beoordeeld met de rubric betogen",
            "goal_criterion": "Op de rubric minimaal 'goed' voor argumenten en bronnen.",
            "content": "Nieuwsbegrip niveau C en plusopdrachten; bronnen over hetzelfde "
            "onderwerp vergelijken.",
            "approach": "Verkorte instructie; close reading in een kleine groep; zelfstandig "
            "werken met de weektaak en een presentatie aan het eind.",
            "materials": "Nieuwsbegrip niveau C, krant en Jeugdjournaal, rubric betogen.",
        },
    ),
    (
        SubjectArea.SPELLING,
        SubgroupKind.INTENSIVE,
        "Spelling en taal zorggroep",
        {
            "goal_didactic": "Spelt de categorieën van dit blok (o.a. verdubbelen en "
            "verenkelen) goed in het dictee en in eigen schrijfwerk.",
            "goal_pedagogic": "Controleert het eigen werk met de spellingkaart voor het inleveren.",
            "goal_measure": "Methodedictee van Staal en een PI-dictee",
            "goal_criterion": "80% van de woorden goed gespeld op het methodedictee.",
            "content": "Herhaling en verdieping van de categorieën van het blok, met nadruk "
            "op de regels verdubbelen en verenkelen.",
            "approach": "Verlengde instructie direct na de basisinstructie; dagelijks 10 "
            "minuten inoefenen, de regel hardop denkend toepassen.",
            "materials": "Staal spelling (herhalingsstof), spellingkaarten met categorieën, "
            "wisbordjes.",
        },
    ),
    (
        SubjectArea.SPELLING,
        SubgroupKind.CORE,
        "Spelling en taal middengroep",
        {
            "goal_didactic": "Spelt de woorden van de categorieën van dit blok goed en past ze "
            "toe in een eigen tekst.",
            "goal_pedagogic": "Werkt geconcentreerd en zelfstandig aan de verwerking.",
            "goal_measure": "Methodedictee van Staal en Cito Spelling (middenafname)",
            "goal_criterion": "85% goed op het methodedictee.",
            "content": "Spelling- en taallessen volgens Staal: categorieën, werkwoordspelling "
            "passend bij de jaargroep, woordenschat en taal verkennen.",
            "approach": "Directe instructie; zelfstandige verwerking met stilte-afspraken; de "
            "fouten van het dictee samen analyseren.",
            "materials": "Staal spelling en taal, spellingkaarten, woordenmuur.",
        },
    ),
    (
        SubjectArea.SPELLING,
        SubgroupKind.EXTENSION,
        "Spelling en taal plusgroep",
        {
            "goal_didactic": "Past de spellingregels, ook de werkwoordspelling, foutloos toe "
            "in een eigen zakelijke tekst.",
            "goal_pedagogic": "Geeft een klasgenoot opbouwende feedback op een tekst.",
            "goal_measure": "Methodedictee en een eigen tekst, beoordeeld met de schrijfrubric",
            "goal_criterion": "95% goed op het methodedictee; op de rubric minimaal 'goed' "
            "voor spelling en opbouw.",
            "content": "Gecompacte spellinglessen; schrijfopdrachten (brief, verslag, "
            "nieuwsbericht) en taalverrijking.",
            "approach": "Compacten en verrijken: instructie alleen bij nieuwe categorieën; "
            "schrijfcirkel in tweetallen.",
            "materials": "Staal plusopdrachten, schrijfrubric, woordenboek.",
        },
    ),
    (
        SubjectArea.MATHS,
        SubgroupKind.INTENSIVE,
        "Rekenen zorggroep",
        {
            "goal_didactic": "Beheerst de tafels van 1 t/m 5 vlot.",
            "goal_pedagogic": "Vertelt hardop hoe een som wordt aangepakt en vraagt om hulp "
            "bij vastlopen.",
            "goal_measure": "Tempotoets tafels 1-5",
            "goal_criterion": "40 sommen in 2 minuten, 90% goed.",
            "content": "Automatiseren van de tafels van 1 t/m 5; optellen en aftrekken tot 100 "
            "met het rekenrek en de getallenlijn.",
            "approach": "Verlengde instructie aan de instructietafel volgens het "
            "directe-instructiemodel; dagelijks 10 minuten automatiseren.",
            "materials": "Met Sprongen Vooruit, rekenrek, getallenlijn.",
        },
    ),
    (
        SubjectArea.MATHS,
        SubgroupKind.CORE,
        "Rekenen middengroep",
        {
            "goal_didactic": "Lost vermenigvuldig- en deelsommen tot 100 op en past ze toe in "
            "eenvoudige contextsommen.",
            "goal_pedagogic": "Werkt zelfstandig door en geeft met de stoplichtkaart aan "
            "wanneer hulp nodig is.",
            "goal_measure": "Bloktoets van Wereld in getallen en Cito Rekenen-Wiskunde "
            "(middenafname)",
            "goal_criterion": "80% goed op de bloktoets.",
            "content": "Rekenlessen volgens Wereld in getallen: getalbegrip, bewerkingen, "
            "meten en meetkunde.",
            "approach": "Directe instructie in de hele groep; zelfstandige verwerking op het "
            "eigen niveau; dagelijks 10 minuten automatiseren.",
            "materials": "Wereld in getallen, Rekentuin, stoplichtkaart.",
        },
    ),
    (
        SubjectArea.MATHS,
        SubgroupKind.EXTENSION,
        "Rekenen plusgroep",
        {
            "goal_didactic": "Lost meerstaps rekenproblemen op en legt de gekozen strategie uit.",
            "goal_pedagogic": "Zet door bij een uitdagende opdracht die niet meteen lukt.",
            "goal_measure": "Bloktoets (plusniveau) en een observatie met de rubric "
            "probleemoplossen",
            "goal_criterion": "90% goed op de bloktoets; op de rubric minimaal 'goed' voor het "
            "uitleggen van de strategie.",
            "content": "Gecompacte rekenlessen; verrijking met onderzoeksopdrachten en "
            "rekenpuzzels.",
            "approach": "Compacten: een starttoets aan het begin van het blok, instructie "
            "alleen op wat nog niet beheerst wordt; wekelijks een begeleidingsmoment met de "
            "leerkracht.",
            "materials": "Wereld in getallen plusboek, Pittige Plustorens, Kien.",
        },
    ),
    (
        None,
        "",
        "Zelfstandig werken met de weektaak",
        {
            "goal_pedagogic": "Plant de weektaak zelf in en heeft die op vrijdag af.",
            "goal_measure": "Weektaakformulier en observatie tijdens het zelfstandig werken",
            "goal_criterion": "In 4 van de 5 weken is de weektaak op vrijdag af.",
            "approach": "Weektaak met verplichte en keuzeopdrachten; dagelijks plannen en "
            "afvinken; stoplicht voor hulpvragen, de leerkracht loopt een vaste ronde.",
            "materials": "Weektaakformulier, stoplichtkaart, time timer.",
        },
    ),
    (
        None,
        SubgroupKind.INDIVIDUAL,
        "Pre-teaching voor de les",
        {
            "goal_didactic": "Kan de instructie in de groep volgen doordat de nieuwe stof een "
            "dag eerder is voorbereid.",
            "goal_pedagogic": "Gaat met vertrouwen de les in en doet mee aan de "
            "klassikale instructie.",
            "goal_measure": "Observatie tijdens de les en de methodetoets van het blok",
            "goal_criterion": "Doet actief mee in 4 van de 5 lessen; op de methodetoets "
            "minimaal 70% goed.",
            "approach": "De dag voor de les 10 minuten voorinstructie met de leerkracht of de "
            "onderwijsassistent: nieuwe woorden, het eerste voorbeeld samen.",
        },
    ),
    (
        ATTITUDE,
        SubgroupKind.SMALL,
        "Taakgericht werken (kleine groep)",
        {
            "goal_pedagogic": "Werkt 15 minuten taakgericht aan een opdracht zonder om "
            "bevestiging te vragen.",
            "goal_measure": "Observatie met een turflijst tijdens het zelfstandig werken",
            "goal_criterion": "Op 4 van de 5 geobserveerde momenten 15 minuten taakgericht.",
            "content": "Werkhouding: aan een taak beginnen, doorzetten en op het goede moment "
            "om hulp vragen.",
            "approach": "Korte instructie vooraf, de taak in stappen op een stappenkaart; "
            "complimenten op inzet en aanpak.",
            "materials": "Stappenkaart, time timer, koptelefoon.",
        },
    ),
]


def _areas_by_key(school: School) -> dict[str, PlanArea]:
    found: dict[str, PlanArea] = {}
    for area in PlanArea.objects.for_school(school).ordered():
        key = area.subject_list[0] if area.subject_list else ATTITUDE
        found.setdefault(key, area)
    return found


@transaction.atomic
def seed_library() -> int:
    """The demo school's library entries; returns how many (0 when it has a library)."""
    school = School.objects.filter(brin=DEMO_BRIN, dependance_code="").first()
    if school is None or OfferTemplate.objects.filter(school=school).exists():
        return 0
    ensure_default_areas(school)
    areas = _areas_by_key(school)
    ib = _ib(school)
    made = 0
    for key, kind, title, texts in LIBRARY:
        area = areas.get(key) if key else None
        if key and area is None:  # the school retired or renamed the area's tests
            continue
        OfferTemplate.objects.create(
            school=school, area=area, kind=kind, title=title, updated_by=ib, **texts
        )
        made += 1
    return made
