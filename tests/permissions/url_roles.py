"""The URL × role table of `test_url_roles.py` (issue 13 item 4).

Every URL name of the urlconf has ONE entry in `POLICY_OF_URL`: which demo
objects fill its parameters (`sample`), the decision point's answer for a GET
(`read`) and for a POST (`write`), and, for a write endpoint, the crafted body
that readers and outsiders post. The answers are questions to
`permissions.decision.decide`; where a page is decided by a check outside the
decision point (a role list of a case-type package, a transition guard of its
`machine.py`) the entry names it in `source`, so the report can list them.

`walk_urlconf()` lists the patterns from `get_resolver()`: a URL added to the
urlconf without an entry here fails the suite.

`KNOWN_LEAKS` lists the (URL, sample, user, method) answers that differ from
the decision point today, each with the status seen, the status expected and
why; the test fails when a new one appears and when a listed one is fixed
(then its entry goes).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from django_fsm import has_transition_perm

from casework.models import Signal
from casework.registry import registry
from permissions.decision import (
    ASSIGN,
    CHAIR,
    CHANGE_TERM,
    EXPORT,
    HOLD,
    MANAGE_TEAM,
    READ,
    READ_OUTCOME,
    SHARE,
    TRIAGE,
    WRITE,
    decide,
    distributes,
    supplies_signals,
)
from permissions.models import DataClass, Role
from permissions.policy import MATRIX, actor_for, role_permits
from tafels import selectors as tafels
from tafels.models import Meeting
from workflows.controle.machine import COORD
from workflows.controle.models import BOARD_ROLES, finding_class
from workflows.legal_protection.services import MAY_OPEN
from workflows.lod.handhavingsmatrix import MAY_ASSESS
from workflows.pga.services import SHIELDED_STATUSES

# Every demo user (casework/management/commands/seed_demo.py); "" is anonymous.
USERNAMES = (
    "jurist", "burgemeester", "bibob", "coordinator", "casusregisseur",
    "toezicht", "invordering", "vergunning", "politie", "om",
    "belastingdienst", "zorg", "fg", "beheerder",
)  # fmt: skip

LOGIN_URL = "/accounts/login/"


# --- The urlconf ------------------------------------------------------------------


@dataclass(frozen=True)
class UrlEntry:
    name: str  # "namespace:name"
    route: str  # the full route, for messages
    params: tuple[str, ...]


def walk_urlconf() -> list[UrlEntry]:
    """Every named pattern of the root urlconf with its parameters, the
    admin's as one entry ("admin:*": its own pages are Django's)."""
    found: list[UrlEntry] = []

    def walk(resolver, prefix, namespace, params):
        for item in resolver.url_patterns:
            route = prefix + str(item.pattern)
            names = params + tuple(getattr(item.pattern, "converters", {}) or ())
            if isinstance(item, URLResolver):
                ns = namespace
                if item.namespace:
                    ns = (
                        f"{namespace}:{item.namespace}" if namespace else item.namespace
                    )
                if ns == "admin":
                    found.append(UrlEntry("admin:*", route, ()))
                    continue
                walk(item, route, ns, names)
            elif isinstance(item, URLPattern):
                assert item.name, f"an unnamed URL pattern: {route}"
                name = f"{namespace}:{item.name}" if namespace else item.name
                found.append(UrlEntry(name, route, names))

    walk(get_resolver(), "/", "", ())
    return found


# --- Samples: demo objects that fill the parameters -------------------------------


@dataclass
class Sample:
    """One way to fill a pattern's parameters, with the objects behind them
    (`case` is the case the URL names; `matches` is False when the object's
    id belongs to another case: replayed across cases, always 404)."""

    label: str
    kwargs: dict
    case: object = None
    obj: object = None
    name: str = ""
    matches: bool = True
    extra: dict = field(default_factory=dict)


# --- Answers --------------------------------------------------------------------


def anyone(user, s) -> bool:
    """Every logged-in user: a list or form whose rows come from the
    decision point's SQL (`for_user`, `row_filter`), empty for an outsider."""
    return True


def on_case(action, kind=None, *, types=(), guard=None, **facts) -> Callable:
    """`decide(user, action, kind or the case, case=case)` for the sample's
    case; a case of another type answers 404 (`types`); `guard` is a
    transition guard of the type's machine.py that may narrow the answer."""

    def answer(user, s) -> bool:
        case = s.case
        if case is None or not s.matches:
            return False
        if types and case.case_type not in types:
            return False
        target = case if kind is None else kind
        extra = {k: v(user, s) if callable(v) else v for k, v in facts.items()}
        if not decide(user, action, target, case=case, **extra):
            return False
        return guard is None or bool(guard(case, user))

    answer.action = action
    answer.kind = kind or "case"
    return answer


def document_export(user, s) -> bool:
    from casework.documents import document_kind

    doc = s.obj
    if doc is None or not s.matches:
        return False
    return decide(
        user,
        EXPORT,
        document_kind(doc.template_key),
        case=s.case,
        data_class=doc.data_class,
    )


def _on_signal(action):
    def answer(user, s) -> bool:
        signal = s.obj
        if signal is None:
            return False
        actor = actor_for(user)
        shared = actor.organisation_id in {o.pk for o in signal.shared_with.all()}
        return decide(
            user,
            action,
            "signal",
            data_class=signal.data_class,
            organisation_id=signal.source_organisation_id,
            shared=shared,
        )

    return answer


signal_read = _on_signal(READ)
# Triage (start, convert, file): the roles of `policy.TRIAGE_ROLES`, on a
# signal the user reads.
signal_triage = _on_signal(TRIAGE)


def creates_signals(user, s) -> bool:
    """The matrix: a role that writes some class (or its own items of it).
    `decide(WRITE, "signal")` has no answer: signals are not on a case."""
    role = actor_for(user).role
    return any(
        "write" in actions or "own" in actions
        for actions in MATRIX.get(role, {}).values()
    )


def refers(user, s) -> bool:
    """The matrix: who writes ZVH case products (D10) registers referrals."""
    return role_permits(actor_for(user).role, "write", DataClass.D10)


def board_role(user, s) -> bool:
    """Outside the decision point: `workflows.controle.models.BOARD_ROLES`."""
    return actor_for(user).role in BOARD_ROLES


def board_location(user, s) -> bool:
    if not board_role(user, s):
        return False
    return Signal.objects.for_user(user).filter(locations=s.obj).exists()


def fg_role(user, s) -> bool:
    """Outside the decision point: `workflows.pga.services.may_read_shielded`."""
    return actor_for(user).role == Role.FG


def shielded_case(user, s) -> bool:
    return (
        fg_role(user, s)
        and s.case is not None
        and s.case.case_type == "PGA"
        and s.case.status in SHIELDED_STATUSES
    )


def permit_handler(user, s) -> bool:
    """Outside the decision point: the permit handler named on the Bibob
    case (`workflows.bibob.selectors.outcome_for_permit_handler`); the
    vergunning role reads no D5 and is on no Bibob team."""
    case = s.case
    return (
        case is not None
        and case.case_type == "BIB"
        and actor_for(user).role == Role.VERGUNNING
        and case.bibob_permit_handlers.filter(user=user).exists()
    )


def as_proxy(case):
    """The case as its type's proxy instance, as a copy: `registry.proxy_for`
    changes the instance's class in place (`decide` answers a proxy instance
    as its case)."""
    clone = copy.copy(case)
    clone.__class__ = registry.case_type(case.case_type).proxy
    return clone


def step_permitted(user, s) -> bool:
    """The step's transition permission (its guard in the type's machine.py),
    bounded by the decision point: never for a user who cannot open the case
    file."""
    from casework.steps import step_form

    case = s.case
    if case is None or not s.name or step_form(case, s.name) is None:
        return False
    if s.name not in s.extra.get("by_state", ()):
        return False
    method = getattr(as_proxy(case), s.name, None)
    if method is None or not has_transition_perm(method, user):
        return False
    return decide(user, READ, case)


def any_step_permitted(user, s) -> bool:
    case = s.case
    if case is None or not decide(user, READ, case):
        return False
    proxy = as_proxy(case)
    return any(
        has_transition_perm(getattr(proxy, name), user)
        for name in s.extra.get("by_state", ())
    )


def protection_step(user, s) -> bool:
    protection = s.obj
    if protection is None or not s.matches:
        return False
    if not decide(user, READ, "legal_protection", case=s.case):
        return False
    if s.name not in s.extra.get("by_state", ()):
        return False
    return has_transition_perm(getattr(protection, s.name), user)


def _own_org(user, s):
    return actor_for(user).organisation_id


def _own_finding_class(user, s):
    return finding_class(user)


def on_table(question, *, statuses=None) -> Callable:
    """A selector of `tafels.selectors` (each a question to the decision
    point) on the sample's table, or on the table of its meeting; `statuses`:
    the meeting states in which the page offers the form at all."""

    def answer(user, s) -> bool:
        obj = s.obj
        if obj is None:
            return False
        if isinstance(obj, Meeting):
            if statuses is not None and obj.status not in statuses:
                return False
            obj = obj.table
        return question(user, obj)

    return answer


def _step_roles(user, s):
    from casework.assignment import step_roles

    return step_roles(s.case)


def _responsible(user, s):
    return s.case.responsible_organisation_id


def _holder(user, s):
    return s.case.assignee_id


# Who holds a case: `decide(HOLD)` / `decide(ASSIGN)` with the facts the
# kernel passes (casework.assignment.may_hold, may_assign).
HOLDS = on_case(HOLD, step_roles=_step_roles)
ASSIGNS = on_case(ASSIGN, organisation_id=_responsible, holder_id=_holder)


def claims(user, s) -> bool:
    """Takes up the case: nobody holds it, and the user may."""
    return s.case is not None and s.case.assignee_id is None and HOLDS(user, s)


def releases(user, s) -> bool:
    """Gives the case back: somebody holds it, and the user may assign it."""
    return s.case is not None and s.case.assignee_id is not None and ASSIGNS(user, s)


def hands_to_jurist(user, s) -> bool:
    """Hands the case to the jurist (the probe's body): the user may assign
    it, and the jurist, who does not hold it, may hold it."""
    if not ASSIGNS(user, s):
        return False
    jurist = get_user_model().objects.get(username="jurist")
    return s.case.assignee_id != jurist.pk and HOLDS(jurist, s)


def chairs_tables(user, s) -> bool:
    """`decide(CHAIR, "tafel_chair")` for a table of the user's own
    organisation: who may set up a table."""
    return decide(
        user, CHAIR, "tafel_chair", organisation_id=actor_for(user).organisation_id
    )


def owns_probe_view(user, s) -> bool:
    """Outside the decision point: `casework.listing.own_saved_view`, the
    owner's own views only (the probe view is the jurist's, shared with its
    team)."""
    from casework.listing import own_saved_view

    return own_saved_view(user, probe_view().pk) is not None


def provider_active(user, s) -> bool:
    """Outside the decision point: the identity provider of the URL exists
    and is switched on (`sso.views.active_provider`)."""
    return s.obj is not None and s.obj.active


# --- Crafted bodies ----------------------------------------------------------------


def token() -> str:
    return uuid.uuid4().hex


def today() -> str:
    return timezone.localdate().isoformat()


def body_team(s, users):
    return {"member": users["belastingdienst"].pk, "team_role": "member"}


def body_transition(s, users):
    names = s.extra.get("by_state") or ["none"]
    return {"name": names[0], "note": "probe"}


def body_step(s, users):
    return {"form_token": token(), "note": "probe"}


def body_party(s, users):
    return {
        "form_token": token(),
        "kind": "person",
        "name": "Probe Persoon",
        "role": "betrokkene",
    }


def body_location(s, users):
    return {
        "form_token": token(), "street": "Probestraat", "house_number": "1",
        "postcode": "5911 AA", "city": "Venlo", "role": "adres",
    }  # fmt: skip


def body_link(s, users):
    return {"reference": s.extra.get("other_reference", ""), "note": "probe"}


def body_deadline(s, users):
    return {
        "title": "Probe", "legal_basis": "Awb 4:13", "event_date": today(),
        "length": "2", "unit": "weeks", "atw_applies": "on",
    }  # fmt: skip


def body_deadline_action(s, users):
    return {
        "legal_basis": "Awb 4:15", "reason": "probe", "weeks": "2", "days": "14",
        "length": "2", "unit": "weeks", "on": today(), "met_on": today(),
        "start": today(),
    }  # fmt: skip


def body_document(s, users):
    return {"form_token": token(), "template": s.extra.get("letter", "")}


def body_signal_create(s, users):
    return {
        "form_token": token(), "source": "toezicht", "received_on": today(),
        "summary": "probe", "data_class": "D0",
    }  # fmt: skip


def body_convert(s, users):
    return {"form_token": token(), "case_type": "LOD", "title": "Probe"}


def body_reason(s, users):
    return {"reason": "probe"}


def body_empty(s, users):
    return {}


def body_token(s, users):
    return {"form_token": token(), "note": "probe"}


def body_protection_open(s, users):
    return {
        "form_token": token(), "decision_title": "Probe", "decision_kind": "besluit",
        "decided_on": today(),
    }  # fmt: skip


def body_protection_step(s, users):
    return {"form_token": token(), "note": "probe", "on": today()}


def body_bibob_extend(s, users):
    return {"form_token": token(), "weeks": "2", "reason": "probe"}


def body_bibob_share(s, users):
    return {
        "form_token": token(), "recipient_code": "a", "recipient_name": "Probe",
        "purpose": "probe", "shared_data": "probe",
    }  # fmt: skip


def body_bibob_source(s, users):
    return {
        "form_token": token(), "kind": "openbare_bronnen", "consulted_on": today(),
        "legal_basis": "Wet Bibob art 7", "finding": "probe",
    }  # fmt: skip


def body_bibob_conclusion(s, users):
    return {"form_token": token(), "degree": "geen", "concluded_on": today()}


def body_permit_handler(s, users):
    return {"form_token": token(), "handler": users["vergunning"].pk}


def body_plan(s, users):
    return {
        "plan": "1",
        "planned_at": "2030-01-07T10:00",
        "lead": users["coordinator"].pk,
    }


def body_follow_up(s, users):
    return {"follow_up": "1", "case_type": "LOD", "title": "Probe"}


def body_violation(s, users):
    return {
        "form_token": token(), "occurred_on": today(), "place": "Markt",
        "description": "probe",
    }  # fmt: skip


def body_finding(s, users):
    return {"finding": "1", "text": "probe", "shareable": "on"}


def body_briefing(s, users):
    return {"risk_flags": "probe", "powers": "Awb 5:15", "instructions": ""}


def body_pga_participant(s, users):
    return {
        "action": "participant",
        "organisation": "",
        "users": [users["belastingdienst"].pk],
    }


def body_pga_participant_step(s, users):
    """Step 2 of selecting a participant: the politie with a user of
    another organisation."""
    return {
        "form_token": token(),
        "organisation": users["politie"].membership.organisation_id,
        "legal_basis": "probe",
        "members": [users["belastingdienst"].pk],
    }


def body_retention(s, users):
    return {"retention_hold": "probe"}


PROBE_VIEW = "Probe view"


def probe_view():
    from casework.models import SavedView

    return SavedView.objects.get(name=PROBE_VIEW)


def body_saved_view_create(s, users):
    return {
        "action": "create", "form_token": token(), "name": "Probe",
        "query": "status=open",
    }  # fmt: skip


def body_saved_view_rename(s, users):
    return {"action": "rename", "view": probe_view().pk, "name": "Probe renamed"}


def body_saved_view_delete(s, users):
    return {"action": "delete", "view": probe_view().pk}


def body_hand_over(s, users):
    return {"form_token": token(), "to": users["jurist"].pk, "note": "probe"}


def body_distribute(s, users):
    from casework.models import Case

    case = Case.objects.filter(closed_at__isnull=True).order_by("pk").first()
    return {
        "form_token": token(), "cases": [case.reference], "mode": "round_robin",
        "people": [users["jurist"].pk], "note": "probe",
    }  # fmt: skip


def body_table(s, users):
    return {
        "form_token": token(), "kind": "ondermijningstafel", "name": "Probe",
        "participants": [users["politie"].membership.organisation_id],
    }  # fmt: skip


def body_meeting_plan(s, users):
    return {"form_token": token(), "date": today(), "place": "Probe"}


def body_subject(s, users):
    return {
        "form_token": token(), "action": "subject", "kind": "person",
        "person_name": "Probe Persoon", "data_class": "D1", "reason": "probe",
    }  # fmt: skip


def body_meeting_step(s, users):
    planned = s.obj is None or s.obj.status == Meeting.Status.PLANNED
    return {"form_token": token(), "action": "hold" if planned else "close"}


def body_decision(s, users):
    """On the meeting's first subject, for the chair's organisation (a
    missing meeting: on any subject)."""
    from tafels.models import Subject

    subjects = Subject.objects.select_related("meeting__table").order_by("pk")
    if s.obj is not None:
        subjects = subjects.filter(meeting=s.obj)
    subject = subjects.first()
    return {
        "form_token": token(), "action": "decision",
        "subject": subject.pk if subject else "",
        "organisation": subject.meeting.table.chair_id if subject else "",
        "text": "probe",
    }  # fmt: skip


# --- The table -------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One URL's answer.

    - `sample`: which demo objects fill its parameters (`test_url_roles`).
    - `read`: the answer to a GET (200 when True, else 404); None for a
      POST-only URL (405).
    - `write`: the answer to a POST; readers and outsiders for whom it is
      False post `body` and must get 404 (or 403) with nothing changed.
    - `public`: answered to anonymous users (the rest redirect to login).
    - `source`: "decide" when the answers are questions to the decision
      point; otherwise the check outside it that decides the URL.
    """

    sample: str
    read: Callable | None
    write: Callable | None = None
    body: Callable | None = None
    public: bool = False
    source: str = "decide"
    # Further writes at the same URL (a page with several forms): (label,
    # answer, body); the label is added to the sample's.
    more_writes: tuple = ()
    # For a page that answers a rule's refusal with a message (200 or a
    # redirect) rather than 404: the rule's answer. Users whom `write` lets
    # and this refuses post `body` too, and must change nothing.
    told: Callable | None = None
    # The status of a GET the answer lets (a sign-in sends the browser on).
    granted: int = 200
    # The GET ends the session (a refused sign-in): the test signs in again.
    ends_session: bool = False


BIB, IC, GBV, LOD, PGA = ("BIB",), ("IC",), ("GBV",), ("LOD",), ("PGA",)

READ_CASE = on_case(READ_OUTCOME)
WRITE_CASE = on_case(WRITE)
TERMS = on_case(CHANGE_TERM, "deadline")
READ_FILE = on_case(READ)
OPEN_MEETING = (Meeting.Status.PLANNED, Meeting.Status.HELD)
HELD_MEETING = (Meeting.Status.HELD,)
CLOSED = (Meeting.Status.CLOSED,)

POLICY_OF_URL: dict[str, Rule] = {
    # The kernel: lists filtered by the decision point's SQL.
    "casework:home": Rule("none", anyone),
    "casework:case_list": Rule("none", anyone),
    "casework:search": Rule("none", anyone),
    "casework:signal_list": Rule("none", anyone),
    # A case and its sections.
    "casework:case_detail": Rule("case", READ_CASE),
    "casework:case_process": Rule("case", on_case(READ, "process")),
    "casework:case_transition": Rule(
        "case", None, any_step_permitted, body_transition,
        source="transition guards (machine.py), bounded by decide(READ, case)",
    ),
    "casework:case_step": Rule(
        "step", step_permitted, step_permitted, body_step,
        source="transition guards (machine.py), bounded by decide(READ, case)",
    ),
    "casework:case_add_party": Rule("case", WRITE_CASE, WRITE_CASE, body_party),
    "casework:case_add_location": Rule(
        "case", WRITE_CASE, WRITE_CASE, body_location
    ),
    "casework:case_add_team": Rule(
        "case", on_case(MANAGE_TEAM, "team"), on_case(MANAGE_TEAM, "team"), body_team
    ),
    "casework:case_add_link": Rule("case", WRITE_CASE, WRITE_CASE, body_link),
    "casework:deadline_create": Rule("case", TERMS, TERMS, body_deadline),
    "casework:deadline_detail": Rule("deadline", on_case(READ, "deadline")),
    "casework:deadline_action": Rule(
        "deadline_action", None, TERMS, body_deadline_action
    ),
    "casework:document_create": Rule("case", WRITE_CASE, WRITE_CASE, body_document),
    "casework:document_download": Rule("document", document_export),
    # Legal protection (the shared region).
    "casework:legal_protection_open": Rule(
        "case",
        on_case(WRITE, "legal_protection", guard=MAY_OPEN),
        on_case(WRITE, "legal_protection", guard=MAY_OPEN),
        body_protection_open,
        source="decide, narrowed by MAY_OPEN (legal_protection.services)",
    ),
    "casework:legal_protection_detail": Rule(
        "protection", on_case(READ, "legal_protection")
    ),
    "casework:legal_protection_step": Rule(
        "protection_step", None, protection_step, body_protection_step,
        source="transition guards (legal_protection.machine), "
        "bounded by decide(READ, legal_protection)",
    ),
    # Bibob (D5).
    "casework:bibob_dossier": Rule("case", on_case(READ, types=BIB)),
    "casework:bibob_source_add": Rule(
        "case", on_case(WRITE, types=BIB), on_case(WRITE, types=BIB),
        body_bibob_source,
    ),
    "casework:bibob_conclusion": Rule(
        "case", on_case(WRITE, types=BIB), on_case(WRITE, types=BIB),
        body_bibob_conclusion,
    ),
    "casework:bibob_term_extend": Rule(
        "case", on_case(CHANGE_TERM, "deadline", types=BIB),
        on_case(CHANGE_TERM, "deadline", types=BIB), body_bibob_extend,
    ),
    "casework:bibob_share": Rule(
        "case", on_case(SHARE, types=BIB), on_case(SHARE, types=BIB), body_bibob_share
    ),
    "casework:bibob_letter_new": Rule(
        "case", on_case(WRITE, types=BIB), on_case(WRITE, types=BIB), body_document
    ),
    "casework:bibob_permit_handler": Rule(
        "case", on_case(MANAGE_TEAM, "team", types=BIB),
        on_case(MANAGE_TEAM, "team", types=BIB), body_permit_handler,
    ),
    "casework:bibob_outcome": Rule(
        "case", permit_handler, source="BibobPermitHandler (bibob.selectors)"
    ),
    "casework:bibob_outcomes": Rule("none", anyone),
    # Integrale controle.
    "casework:controle_planning": Rule(
        "case", on_case(READ_OUTCOME, types=IC),
        on_case(WRITE, types=IC, guard=COORD), body_plan,
    ),
    "casework:controle_findings": Rule(
        "case", on_case(READ_OUTCOME, types=IC),
        on_case(WRITE, types=IC, guard=COORD), body_follow_up,
        more_writes=(
            ("finding", on_case(WRITE, "finding", types=IC, organisation_id=_own_org,
                                data_class=_own_finding_class),
             body_finding),
        ),
    ),
    "casework:controle_briefing": Rule(
        "case", on_case(READ_OUTCOME, types=IC),
        on_case(WRITE, types=IC, guard=COORD), body_briefing,
    ),
    "casework:controle_board": Rule(
        "none", board_role, source="BOARD_ROLES (controle.models)"
    ),
    "casework:controle_dashboard": Rule(
        "none", board_role, source="BOARD_ROLES (controle.models)"
    ),
    "casework:controle_follow_ups": Rule(
        "none", board_role, source="BOARD_ROLES (controle.models)"
    ),
    "casework:controle_select": Rule(
        "location", None, board_location, body_empty,
        source="BOARD_ROLES (controle.models) and Signal.objects.for_user",
    ),
    "casework:controle_dismiss": Rule(
        "location", None, board_location, body_reason,
        source="BOARD_ROLES (controle.models) and Signal.objects.for_user",
    ),
    # Gebiedsverbod.
    "casework:gebiedsverbod_measure": Rule("case", on_case(READ_OUTCOME, types=GBV)),
    "casework:gebiedsverbod_violation_new": Rule(
        "case",
        on_case(WRITE, "has_gebiedsverbod_violations", types=GBV,
                organisation_id=_own_org),
        on_case(WRITE, "has_gebiedsverbod_violations", types=GBV,
                organisation_id=_own_org),
        body_violation,
    ),  # fmt: skip
    "casework:gebiedsverbod_incident_new": Rule(
        "case", on_case(WRITE, "has_gebiedsverbod_incidents", types=GBV),
        on_case(WRITE, "has_gebiedsverbod_incidents", types=GBV), body_token,
    ),
    # LOD.
    "casework:lod_assessment": Rule(
        "case", on_case(WRITE, "has_assessment", types=LOD, guard=MAY_ASSESS),
        on_case(WRITE, "has_assessment", types=LOD, guard=MAY_ASSESS), body_token,
        source="decide, narrowed by MAY_ASSESS (lod.handhavingsmatrix)",
    ),
    # PGA.
    "casework:pga_dossier": Rule(
        "case", on_case(READ_OUTCOME, types=PGA),
        on_case(MANAGE_TEAM, "team", types=PGA), body_pga_participant,
    ),
    # Selecting a participant, step 2 (step 1 is the case file's
    # "participant" action): the casusregisseur who keeps the file.
    "casework:pga_participant_add": Rule(
        "case", on_case(MANAGE_TEAM, "team", types=PGA),
        on_case(MANAGE_TEAM, "team", types=PGA), body_pga_participant_step,
    ),
    # The network has no kind of its own: the director's, like the Top X.
    "casework:pga_network": Rule("case", on_case(READ, "top_x", types=PGA)),
    "casework:pga_referral_new": Rule(
        "none", refers, refers, body_token, source="the matrix (W on D10)"
    ),
    "casework:pga_top_x": Rule("none", anyone),
    "casework:pga_shielded": Rule(
        "none", fg_role, source="may_read_shielded (pga.services)"
    ),
    "casework:pga_shielded_case": Rule(
        "shielded", shielded_case, shielded_case, body_retention,
        source="may_read_shielded (pga.services)",
    ),
    # Signals.
    "casework:signal_create": Rule(
        "none", creates_signals, creates_signals, body_signal_create,
        source="the matrix (W or own on some class)",
    ),
    "casework:signal_detail": Rule("signal", signal_read),
    "casework:signal_triage": Rule("signal", None, signal_triage, body_empty),
    "casework:signal_convert": Rule("signal", None, signal_triage, body_convert),
    "casework:signal_file": Rule("signal", None, signal_triage, body_reason),
    # Who holds a case (docs/assignment.md). A reader of the file whom
    # `decide(HOLD/ASSIGN)` refuses is told so by a message (nothing changes);
    # everyone else gets 404 (`assignment_views._file_or_404`).
    "casework:assign_claim": Rule(
        "case", None, READ_FILE, body_empty, told=claims,
        source="decide(HOLD) answered as a message, bounded by decide(READ, case)",
    ),
    "casework:assign_release": Rule(
        "case", None, READ_FILE, body_token, told=releases,
        source="decide(ASSIGN) answered as a message, bounded by decide(READ, case)",
    ),
    "casework:assign_hand_over": Rule(
        "case", READ_FILE, READ_FILE, body_hand_over, told=hands_to_jurist,
        source="decide(ASSIGN) answered on the page, bounded by decide(READ, case)",
    ),
    "casework:distribute": Rule(
        "none", lambda user, s: distributes(user), lambda user, s: distributes(user),
        body_distribute,
    ),
    # Saved views of the case list (casework/listing.py): every user's own
    # and its team's; renamed and deleted by their owner only.
    "casework:saved_views": Rule(
        "none", anyone, anyone, body_saved_view_create,
        source="listing.own_saved_view (the owner's own views)",
        more_writes=(
            ("rename", owns_probe_view, body_saved_view_rename),
            ("delete", owns_probe_view, body_saved_view_delete),
        ),
    ),
    # The tafels (docs/tafels.md): `tafels.selectors`, each a question to
    # the decision point; the forms of a meeting by its state.
    "tafels:table_list": Rule("none", anyone, chairs_tables, body_table),
    "tafels:table_detail": Rule(
        "tafel", on_table(tafels.may_read), on_table(tafels.may_chair),
        body_meeting_plan,
    ),
    "tafels:meeting_detail": Rule(
        "meeting", on_table(tafels.may_read),
        on_table(tafels.may_contribute, statuses=OPEN_MEETING), body_subject,
        more_writes=(
            ("step", on_table(tafels.may_chair, statuses=OPEN_MEETING),
             body_meeting_step),
            ("decision", on_table(tafels.may_chair, statuses=HELD_MEETING),
             body_decision),
        ),
    ),
    "tafels:minutes": Rule("meeting", on_table(tafels.may_read, statuses=CLOSED)),
    # Single sign-on (sso/views.py): public, under the login page. An active
    # provider sends the browser to its authorization endpoint; its callback
    # without this session's state is refused (400) and ends the session.
    "sso_login": Rule(
        "sso", provider_active, public=True, granted=302,
        source="sso: the provider is active",
    ),
    "sso_callback": Rule(
        "sso", provider_active, public=True, granted=400, ends_session=True,
        source="sso: the provider is active and the session's state",
    ),
    # The access log (D9).
    "permissions:access_log": Rule(
        "none", lambda user, s: decide(user, READ, "access_log")
    ),
    # --- the partner API (docs/api.md) ---
    # A session is never enough: every endpoint answers 401 (problem details)
    # to web users and anonymous visitors alike; the token holders are
    # walked in tests/api. The schema and its page are public.
    "api:token": Rule("none", anyone, public=True, granted=405,
                      source="the API: OAuth2 client credentials (POST)"),
    "api:schema": Rule("none", anyone, public=True, source="the API: public schema"),
    "api:docs": Rule("none", anyone, public=True, source="the API: public schema"),
    "api:not_found": Rule("none", anyone, public=True, granted=404,
                          source="the API: no endpoint"),
    **{
        f"api:{name}": Rule(sample, anyone, public=True, granted=401,
                            source="the API: OAuth2 bearer tokens only")
        for name, sample in (
            ("organisations", "none"), ("signals", "none"),
            ("signal_detail", "signal"), ("signal_attachment", "deadline"),
            ("cases", "none"), ("case_detail", "case"),
            ("case_deadlines", "case"), ("case_documents", "case"),
            ("case_document", "document"), ("case_findings", "case"),
            ("slot_confirm", "deadline"), ("tasks", "none"),
        )
    },
    # --- the lookups (docs/lookups.md) ---
    # The BAG and KvK steps of the location and party forms: as those forms.
    "lookups:case_address": Rule("case", WRITE_CASE),
    "lookups:case_company": Rule("case", WRITE_CASE),
    # The BRP (POST only): decision.LOOKUP_PERSON on the case.
    "lookups:case_person": Rule(
        "case", None, on_case("lookup_person"),
        lambda s, users: {"bsn": "987654305", "purpose": "zaak"},
    ),
    # --- the notifications (docs/notifications.md) ---
    # The signed-in user's own e-mail settings: every user, its own row only.
    "notifications:preferences": Rule(
        "none", anyone, anyone, lambda s, users: {"new_tasks": "on"},
        source="the account itself",
    ),
    # --- the signal import (docs/import.md) ---
    # Who supplies MMA reports or police reports (`supplies_signals`); an
    # upload is its owner's only (tests/casework/test_signal_import.py).
    "casework:signal_import": Rule(
        "none",
        lambda user, s: any(
            supplies_signals(user, kind) for kind in ("mma", "bestuurlijke_rapportage")
        ),
        lambda user, s: any(
            supplies_signals(user, kind) for kind in ("mma", "bestuurlijke_rapportage")
        ),
        lambda s, users: {
            "kind": "mma", "shared_with": [users["jurist"].membership.organisation_id],
            "file": SimpleUploadedFile(
                "probe.csv", b"kenmerk;ontvangen_op;samenvatting;dataklasse\r\n"
                b"P-1;01-01-2025;probe;D3\r\n",
            ),
        },
    ),
    "casework:signal_import_confirm": Rule(
        "none", None,
        lambda user, s: any(
            supplies_signals(user, kind) for kind in ("mma", "bestuurlijke_rapportage")
        ),
        lambda s, users: {"upload": str(uuid.uuid4()), "content_hash": "0" * 64},
    ),
    # Accounts: login and password reset are public (casework.middleware).
    "login": Rule("none", anyone, public=True),
    "logout": Rule("none", None),  # POST only; not posted (it ends the session)
    "password_change": Rule("none", anyone),
    "password_change_done": Rule("none", anyone),
    "password_reset": Rule("none", anyone, public=True),
    "password_reset_done": Rule("none", anyone, public=True),
    "password_reset_confirm": Rule("reset", anyone, public=True),
    "password_reset_complete": Rule("none", anyone, public=True),
    # Health checks for the load balancer: public, no sensitive detail
    # (casework/health.py, docs/deploy.md).
    "health_live": Rule("none", anyone, public=True),
    "health_ready": Rule("none", anyone, public=True),
    # The account's own second factor (casework.accounts): any signed-in user.
    "otp_setup": Rule("none", anyone, source="the account itself"),
    "otp_verify": Rule("none", anyone, source="the account itself"),
    # Django's admin: only the beheerder (test_admin_is_the_beheerders).
    "admin:*": Rule("admin", None, source="is_staff (the beheerder)"),
    # --- steering (issue 18) ---
    # The indicators page and its CSV: whoever has a figure scope
    # (tests/steering/url_rules.py); what each viewer sees is tested in
    # tests/steering/test_views.py.
    **(lambda r: {
        "steering:indicators": Rule("none", r.sees_figures, source=r.SOURCE),
        "steering:indicators_csv": Rule("none", r.sees_figures, source=r.SOURCE),
        "steering:chart": Rule("none", r.sees_figures, source=r.SOURCE),
    })(__import__("tests.steering.url_rules", fromlist=["url_rules"])),
    # --- end steering ---
    # --- hotspots (issue 18) ---
    # The figure pages: whoever has a figure scope; an address only where the
    # viewer's role has a score; the imports: `may_import_registers` and
    # `may_manage_areas` (tests/hotspots/url_rules.py; what each role sees in
    # tests/hotspots/test_views.py, uploads are their owner's only in
    # tests/hotspots/test_imports.py).
    **(lambda r: {
        "hotspots:list": Rule("none", r.sees_figures, source=r.SOURCE),
        "hotspots:areas": Rule("none", r.sees_figures, source=r.SOURCE),
        "hotspots:map": Rule("none", r.sees_figures, source=r.SOURCE),
        "hotspots:address": Rule("location", r.sees_address, source=r.SOURCE),
        "hotspots:register_import": Rule(
            "none", r.imports_registers, r.imports_registers, r.body_register,
            source=r.SOURCE,
        ),
        "hotspots:register_import_confirm": Rule(
            "none", None, r.imports_registers, r.body_confirm, source=r.SOURCE
        ),
        "hotspots:area_import": Rule(
            "none", r.manages_areas, r.manages_areas, r.body_areas,
            source=r.SOURCE,
        ),
        "hotspots:area_import_confirm": Rule(
            "none", None, r.manages_areas, r.body_confirm, source=r.SOURCE
        ),
    })(__import__("tests.hotspots.url_rules", fromlist=["url_rules"])),
    # --- end hotspots ---
    # --- programme (issue 18) ---
    # The programme monitor: `permissions.figures.programme_access` on the
    # programme the URL names (tests/programme/url_rules.py); what each
    # reader sees is tested in tests/programme/test_views.py.
    **(lambda r: {
        "programme:programme_list": Rule(
            "none", r.lists_programmes, source=r.LIST_SOURCE
        ),
        "programme:programme_detail": Rule(
            r.SAMPLE, r.reads_programme, r.books_on_programme, r.body_entry,
            source=r.SOURCE,
        ),
        "programme:project_detail": Rule(
            r.PROJECT_SAMPLE, r.reads_project, r.edits_project, r.body_measurement,
            source=r.SOURCE,
        ),
    })(__import__("tests.programme.url_rules", fromlist=["url_rules"])),
    # --- end programme ---
    # --- reports (issue 18) ---
    # The answers are in tests/reports/url_rules.py (imported here so that
    # this table needs no import of its own): requesting a report asks
    # `may_request_report` / `feedback_organisations`; a job is its
    # requester's only (`reports.selectors.job_for`): the sampler's two jobs
    # are the coordinator's (`add_what_the_demo_lacks`).
    **(lambda r: {
        "reports:request": Rule(
            "none", r.requests_reports, r.requests_reports, r.body_request
        ),
        "reports:job_detail": Rule("report_job", r.owns_job, source=r.OWN_JOB),
        "reports:job_download": Rule("report_job", r.owns_done_job, source=r.OWN_JOB),
        "reports:job_repeat": Rule(
            "report_job", None, r.owns_job, body_empty, source=r.OWN_JOB
        ),
        "reports:feedback": Rule("none", r.reads_feedback),
        "reports:feedback_csv": Rule("none", r.reads_feedback),
    })(__import__("tests.reports.url_rules", fromlist=["url_rules"])),
    # --- end reports ---
}  # fmt: skip


# --- Known discrepancies ------------------------------------------------------------

# (URL name, sample label or "*", username or a tuple of them, method)
# → (status seen, status expected, why). "" as username is anonymous. Each is
# a finding for the lead; the test fails when a new one appears and when one
# is fixed (for any user it names), so that its entry is removed.
KNOWN_LEAKS: dict[tuple, tuple[int, int, str]] = {}


def known_entry(key):
    """The KNOWN_LEAKS entry that covers a found (url, sample, user, method)."""
    url, label, username, method = key
    for entry, value in KNOWN_LEAKS.items():
        e_url, e_label, e_users, e_method = entry
        users = (e_users,) if isinstance(e_users, str) else e_users
        if (e_url, e_method) == (url, method) and e_label in ("*", label):
            if username in users:
                return entry, value
    return None, None
