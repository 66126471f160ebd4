"""The kernel's registry of case types and of what they add to the kernel.

The kernel (`casework/`) knows no case type. Each case-type package under
`workflows/` registers itself from its `AppConfig.ready()` — the way
`django.contrib.admin` collects `ModelAdmin`s — and the kernel asks this
registry for everything type-specific: the proxy model that carries the
states and transitions, the data class of a new case, the steps and the flow,
the letters and how to prefill them, the URL patterns, the menu entries, the
case-page links and panels, the sections whose existence the case page reads
in one query, what happens when a case is opened from a signal, the demo data
and the periodic tasks.

A package registers with::

    from casework import registry

    class LodConfig(AppConfig):
        name = "workflows.lod"
        label = "lod"

        def ready(self):
            from casework import registration  # noqa: F401

where `registration.py` calls `registry.register_case_type(CaseTypeEntry(...))`
and the `registry.add_*` functions. The shared legal-protection region
registers the same way, without a case type.

Registration happens once, while Django starts (`apps.populate`), before any
URL configuration is loaded; afterwards the registry is only read. See
docs/architecture.md and docs/adding-a-case-type.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from permissions.decision import declare_section
from permissions.figures import declare_family

# --- What a case type declares ---------------------------------------------


@dataclass(frozen=True)
class Section:
    """A part of a case file held in a table of a case-type package.

    `flag` is the name under which the case page's single query says whether
    the case has rows there (`case.sections[flag]`); `model` is an app label
    and model name ("lod.LodAssessment"), `case_column` the column that points
    to the case. `data_class` is the data class of the rows (D0–D10): the
    access policy decides on it (docs/access.md)."""

    flag: str
    model: str
    case_column: str = "case_id"
    data_class: str = "D0"
    label: str = ""
    # Who reads the section, declared to the decision point
    # (`permissions.decision.SectionRule`, docs/access.md): `kind` is the name
    # the type's code asks about (`decide(user, READ, kind, case=case)`), by
    # default the flag; `data_class=""` when each row carries its own class.
    kind: str = ""
    outcome_readers: bool = False
    roles: frozenset | None = None
    team_roles: frozenset | None = None
    own_organisation: bool = False
    all_compartments: frozenset = frozenset()
    private_excluded: bool = False
    # Partners on the team (contributors) create their own organisation's
    # rows of the section (`SectionRule.own_items`).
    own_items: bool = False

    def access_rule(self):
        from permissions.decision import ALL_TEAM_ROLES, SectionRule

        return SectionRule(
            kind=self.kind or self.flag,
            data_class=self.data_class,
            outcome_readers=self.outcome_readers,
            roles=self.roles,
            team_roles=self.team_roles or ALL_TEAM_ROLES,
            own_organisation=self.own_organisation,
            all_compartments=self.all_compartments,
            private_excluded=self.private_excluded,
            own_items=self.own_items,
        )


@dataclass(frozen=True)
class CaseLink:
    """A link on the case page to a page of the case type ("Bibob dossier").

    `url_name` is a name in the `casework` namespace taking the case
    reference; `outcome_page` says whether it is offered on the outcome-only
    page partners see (the page behind it decides what they read there);
    `when` narrows it to cases for which it returns True."""

    label: Any
    url_name: str
    outcome_page: bool = False
    full_page: bool = True
    fragment: str = ""
    when: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Panel:
    """A section of the case page rendered from a template in the package.

    `context(case, user)` returns the template's context (an empty dict hides
    nothing: the template decides); it is called only on the full case page,
    after the access decision for the case was made. Lower `order` is shown
    first; the kernel's own sections sit at 0 (deadlines) and 100 (documents)."""

    template: str
    context: Callable[[Any, Any], dict]
    order: int = 50
    case_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class MenuEntry:
    """A main-menu entry for users of the given roles."""

    label: Any
    url_name: str
    roles: frozenset[str]
    order: int = 50


@dataclass
class CaseTypeEntry:
    """One case type.

    - `code`: the short code stored on `Case.case_type` and used in references
      ("LOD" → 2026-LOD-0001).
    - `label`: the name users read.
    - `proxy`: the proxy model of `casework.Case` with the `Status` choices,
      the `INITIAL` status and the django-fsm transitions (the package's
      `machine.py`).
    - `default_data_class`: the data class a new case of this type gets.
    - `flow`: the viewflow flow class (built with `casework.flows.build_flow`)
      or None.
    - `steps`: transition name → `casework.steps.Step` for steps that ask more
      than a note or set deadlines.
    - `prefill(case, key, user)`: initial inputs for one of the type's letters
      (or any letter) made on a case of this type; None for none.
    - `on_open_from_signal(case, signal, user)`: what opening a case of this
      type from a signal does besides the kernel's work (PGA takes the referral
      from the signal).
    - `team_url_name`: where the case team is chosen when it is not the
      kernel's team form (PGA chooses participants in its case file).
    """

    code: str
    label: Any
    proxy: type
    default_data_class: str = "D0"
    flow: type | None = None
    steps: dict[str, Any] = field(default_factory=dict)
    prefill: Callable[[Any, str, Any], dict] | None = None
    on_open_from_signal: Callable[..., Any] | None = None
    team_url_name: str = ""
    team_url_fragment: str = ""
    team_url_label: Any = ""
    outcome_context: Callable[[Any, Any], dict] | None = None
    order: int = 50
    # Steps that are not transitions (a payment, a forfeiture, a controle
    # slot): name → `Action`, run by `manage.py replay` like the pages do.
    actions: dict[str, Action] = field(default_factory=dict)
    # The money the case owes, for `replay` and the case page: balance(case)
    # -> dict of strings (e.g. {"forfeited": "5000.00", "open": "4000.00"}),
    # or None when the type keeps no money.
    balance: Callable[[Any], dict | None] | None = None
    # Facts a replay scenario gives beyond the title: facts(case, user,
    # facts) records them (address, party, application type) as the intake
    # pages would.
    facts: Callable[[Any, Any, dict], None] | None = None
    # The body that takes the type's besluiten (casework/competence.py):
    # competence(case) -> a key of settings.CASEWORK_BODIES ("burgemeester";
    # Bibob: the college for an omgevingsvergunning). Letters that every type
    # offers read it, such as the beslissing op bezwaar, which the body that
    # took the besluit gives (Awb 7:11). None: the type takes no besluiten
    # open to bezwaar (controle, PGA).
    competence: Callable[[Any], str] | None = None

    @property
    def initial_status(self) -> str:
        return self.proxy.INITIAL

    def status_choices(self):
        return self.proxy.Status.choices


@dataclass(frozen=True)
class Action:
    """A step of a case type that is not a transition: its form (validated
    like the page validates it; None for none) and `run(case, user, data)`,
    which does the work through the package's services and raises
    `ValidationError`/`casework.rules.StepRefused` when the law refuses."""

    form: type | None
    run: Callable[[Any, Any, dict], Any]
    label: Any = ""


@dataclass(frozen=True)
class Letter:
    """A letter template (`casework.letters.LetterTemplate`) with the data
    class of the documents made from it and the case types that offer it (an
    empty tuple: every case type)."""

    template: Any
    data_class: str = "D2"
    case_types: tuple[str, ...] = ()
    # The content differs per partner (a plan van aanpak lists every
    # partner's interventions): the document is read as the decision point's
    # "document_per_reader" kind, withheld from everyone but the director.
    per_reader: bool = False
    # Who may make it (role codes; empty: whoever may make letters on the
    # case by the decision point) and when: offered_when(case) is True only
    # once the step the letter records exists (Awb: no besluit letter before
    # the besluit). None: always.
    roles: frozenset[str] = frozenset()
    offered_when: Callable[[Any], bool] | None = None
    # The body competent for the letter's besluit when the case decides it
    # (a Bibob omgevingsvergunning is the college's): competence(case) -> a key
    # of settings.CASEWORK_BODIES, recorded in the inputs when the document is
    # made (`casework.competence`). None: the template's own declaration.
    competence: Callable[[Any], str] | None = None
    # The inputs the recorded decision gives (issue 14, "letters bound to the
    # decision"): recorded(case, inputs) -> dict, prefilled on the letter form
    # and, when the document is made, written over whatever was typed. It may
    # raise `casework.pdf.LetterValidationError` when the inputs name a
    # decision the case has not recorded. None: only the type's prefill.
    recorded: Callable[[Any, dict], dict] | None = None

    @property
    def key(self) -> str:
        return self.template.key


@dataclass(frozen=True)
class DemoSeeder:
    """A function that adds a package's demo data: `seed(demo)` receives the
    kernel's demo context (`casework.demo.Demo`: organisations and users by
    name, helpers). Given as a dotted path, so demo code is imported only
    when the demo is built."""

    path: str
    order: int = 50

    def seed(self, demo) -> None:
        import_string(self.path)(demo)


@dataclass(frozen=True)
class PeriodicTask:
    """A Celery beat entry: task name and a `celery.schedules` schedule."""

    name: str
    task: str
    schedule: Any


# --- Steering figures (issue 18, docs/steering.md) --------------------------

# How an indicator is counted (`steering.facts` does the counting):
# `STATUS_EVENTS` counts the case's status events into one of `statuses`
# (`CaseEvent` kind STATUS, in the month of `at`, local time); any other
# value names a count of the kernel's own tables.
STATUS_EVENTS = "status_events"
# The family of an indicator that every case type has (bezwaar, beroep,
# terms): each case is counted in the family of its own case type.
EVERY_CASE_TYPE = "*"


@dataclass(frozen=True)
class Indicator:
    """A figure of the steering pages, declared by the package whose cases it
    counts: `code` ("LOD.imposed"), `label` (what users read), `family` (a
    case type's code, "SIG" for signals, `EVERY_CASE_TYPE`), and how it is
    counted (`counter`, `statuses`). Lower `order` is listed first."""

    code: str
    label: Any
    family: str
    statuses: tuple[str, ...] = ()
    counter: str = STATUS_EVENTS
    # For a count of signals: the sources counted (empty: every source).
    sources: tuple[str, ...] = ()
    order: int = 50


# --- The registry itself ----------------------------------------------------


class Registry:
    def __init__(self) -> None:
        self.case_types: dict[str, CaseTypeEntry] = {}
        self.case_urls: list = []
        self.urls: list = []
        self.menu: list[MenuEntry] = []
        self.case_links: dict[str, list[CaseLink]] = {}
        self.panels: list[Panel] = []
        self.sections: list[Section] = []
        self.letters: dict[str, Letter] = {}
        self.demo: list[DemoSeeder] = []
        self.periodic: list[PeriodicTask] = []
        self.sweeps: list[Callable] = []
        # Steps every case type offers (the legal-protection region's), by name.
        self.shared_actions: dict[str, Action] = {}
        # Steering figures: the families (`permissions.figures.Family`) by
        # code, in the order declared, and their indicators.
        self.families: dict[str, Any] = {}
        self.indicators: list[Indicator] = []

    # Writing (from AppConfig.ready) ---------------------------------------

    def register_case_type(self, entry: CaseTypeEntry) -> None:
        if entry.code in self.case_types:
            raise ImproperlyConfigured(f"case type {entry.code} registered twice")
        self._share_actions(entry, self.shared_actions)
        self.case_types[entry.code] = entry

    def add_actions(self, actions: dict[str, Action]) -> None:
        """Steps that are not a case type's own but every type offers (the
        legal-protection region's bezwaar and beroep steps): added to the
        `actions` of each case type, registered before or after, so that
        `manage.py replay` takes them like the type's own."""
        for name in actions:
            if name in self.shared_actions:
                raise ImproperlyConfigured(f"action {name} registered twice")
        self.shared_actions.update(actions)
        for entry in self.case_types.values():
            self._share_actions(entry, actions)

    @staticmethod
    def _share_actions(entry: CaseTypeEntry, actions: dict[str, Action]) -> None:
        clash = set(actions) & set(entry.actions)
        if clash:
            raise ImproperlyConfigured(
                f"case type {entry.code}: action(s) {', '.join(sorted(clash))} "
                "registered twice"
            )
        entry.actions = {**entry.actions, **actions}

    def add_case_urls(self, patterns: Iterable) -> None:
        """URL patterns under `cases/`; each takes `<str:reference>` first."""
        self.case_urls.extend(patterns)

    def add_urls(self, patterns: Iterable) -> None:
        """URL patterns at the top of the `casework` namespace."""
        self.urls.extend(patterns)

    def add_menu(self, *entries: MenuEntry) -> None:
        self.menu.extend(entries)
        self.menu.sort(key=lambda e: e.order)

    def add_case_links(self, case_type: str, *links: CaseLink) -> None:
        self.case_links.setdefault(case_type, []).extend(links)

    def add_panel(self, panel: Panel) -> None:
        self.panels.append(panel)
        self.panels.sort(key=lambda p: p.order)

    def add_sections(self, *sections: Section) -> None:
        known = {s.flag for s in self.sections}
        for section in sections:
            if section.flag in known:
                raise ImproperlyConfigured(f"section {section.flag} registered twice")
            self.sections.append(section)
            # The section's access rule joins the decision point's source.
            declare_section(section.access_rule())

    def add_letters(self, *letters: Letter) -> None:
        """Letters of a package; also listed in `casework.letters.TEMPLATES`
        and, when not D2, `DATA_CLASS_OF`, which the letter pages read."""
        from casework import letters as letter_module

        for letter in letters:
            if letter.key in self.letters:
                raise ImproperlyConfigured(f"letter {letter.key} registered twice")
            self.letters[letter.key] = letter
            letter_module.TEMPLATES[letter.key] = letter.template
            if letter.data_class != "D2":
                letter_module.DATA_CLASS_OF[letter.key] = letter.data_class

    def add_demo(self, path: str, order: int = 50) -> None:
        self.demo.append(DemoSeeder(path, order))
        self.demo.sort(key=lambda d: d.order)

    def add_periodic_task(self, task: PeriodicTask) -> None:
        self.periodic.append(task)

    def add_figures(self, *, family, indicators: Iterable[Indicator] = ()) -> None:
        """A family of steering figures (`permissions.figures.Family`: who
        sees its small numbers) and its indicators; the family goes to the
        figures rule (`permissions.figures.declare_family`)."""
        if family.code in self.families:
            raise ImproperlyConfigured(f"figures of {family.code} declared twice")
        self.families[family.code] = family
        declare_family(family)
        self.add_indicators(*indicators)

    def add_indicators(self, *indicators: Indicator) -> None:
        """Indicators of a declared family, or of every case type's."""
        known = {(i.family, i.code) for i in self.indicators}
        for indicator in indicators:
            if (indicator.family, indicator.code) in known:
                raise ImproperlyConfigured(f"indicator {indicator.code} declared twice")
            if indicator.counter == STATUS_EVENTS and not indicator.statuses:
                raise ImproperlyConfigured(
                    f"indicator {indicator.code} counts status events: name them"
                )
            known.add((indicator.family, indicator.code))
            self.indicators.append(indicator)

    # Reading (kernel) ------------------------------------------------------

    def case_type(self, code: str) -> CaseTypeEntry:
        try:
            return self.case_types[code]
        except KeyError:
            raise LookupError(f"no case type {code!r} is registered") from None

    def type_choices(self) -> list[tuple[str, Any]]:
        entries = sorted(self.case_types.values(), key=lambda e: e.order)
        return [(e.code, e.label) for e in entries]

    def type_label(self, code: str) -> str:
        entry = self.case_types.get(code)
        return str(entry.label) if entry else code

    def proxy_for(self, case):
        """The same row as an instance of its case type's proxy model."""
        cls = self.case_type(case.case_type).proxy
        if type(case) is not cls:
            case.__class__ = cls
        return case

    def status_label(self, case_type: str, status: str) -> str:
        entry = self.case_types.get(case_type)
        if entry is None:
            return status
        try:
            return str(entry.proxy.Status(status).label)
        except ValueError:
            return status

    def all_status_choices(self) -> list[tuple[str, Any]]:
        seen: list = []
        for entry in sorted(self.case_types.values(), key=lambda e: e.order):
            seen.extend(entry.status_choices())
        return seen

    def step(self, case_type: str, name: str):
        entry = self.case_types.get(case_type)
        return entry.steps.get(name) if entry else None

    def flow(self, case_type: str):
        entry = self.case_types.get(case_type)
        return entry.flow if entry else None

    def flows(self) -> list:
        return [e.flow for e in self.case_types.values() if e.flow is not None]

    def links_for(self, case, *, outcome_page: bool = False) -> list[CaseLink]:
        return [
            link
            for link in self.case_links.get(case.case_type, ())
            if (link.outcome_page if outcome_page else link.full_page)
            and (link.when is None or link.when(case))
        ]

    def panels_for(self, case) -> list[Panel]:
        return [
            p for p in self.panels if not p.case_types or case.case_type in p.case_types
        ]

    def menu_for(self, role: str) -> list[MenuEntry]:
        return [entry for entry in self.menu if role in entry.roles]

    def letter(self, key: str) -> Letter:
        return self.letters[key]

    def indicators_of(self, family: str) -> list[Indicator]:
        """The indicators shown for a family: its own, then, for a case
        type's family, those of every case type; each by `order`."""
        own = [i for i in self.indicators if i.family == family]
        shared = []
        if family in self.case_types:
            shared = [i for i in self.indicators if i.family == EVERY_CASE_TYPE]
        return sorted(own, key=lambda i: i.order) + sorted(
            shared, key=lambda i: i.order
        )

    def per_reader_letters(self) -> list[str]:
        """The keys of letters whose content differs per partner."""
        return [key for key, letter in self.letters.items() if letter.per_reader]

    def letters_for(self, case_type: str) -> list[Letter]:
        return [
            letter
            for letter in self.letters.values()
            if not letter.case_types or case_type in letter.case_types
        ]


registry = Registry()

# Module-level shortcuts, so a package reads `registry.add_panel(...)` after
# `from casework import registry`.
register_case_type = registry.register_case_type
add_case_urls = registry.add_case_urls
add_urls = registry.add_urls
add_menu = registry.add_menu
add_case_links = registry.add_case_links
add_panel = registry.add_panel
add_sections = registry.add_sections
add_letters = registry.add_letters
add_actions = registry.add_actions
add_demo = registry.add_demo
add_periodic_task = registry.add_periodic_task
add_figures = registry.add_figures
add_indicators = registry.add_indicators
proxy_for = registry.proxy_for
status_label = registry.status_label
