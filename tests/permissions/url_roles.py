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

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from django_fsm import has_transition_perm

from casework.models import Signal
from casework.registry import registry
from permissions.decision import (
    CHANGE_TERM,
    EXPORT,
    MANAGE_TEAM,
    READ,
    READ_OUTCOME,
    SHARE,
    TRIAGE,
    WRITE,
    decide,
)
from permissions.models import DataClass, Role
from permissions.policy import MATRIX, actor_for, role_permits
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


def body_retention(s, users):
    return {"retention_hold": "probe"}


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


BIB, IC, GBV, LOD, PGA = ("BIB",), ("IC",), ("GBV",), ("LOD",), ("PGA",)

READ_CASE = on_case(READ_OUTCOME)
WRITE_CASE = on_case(WRITE)
TERMS = on_case(CHANGE_TERM, "deadline")

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
    # The access log (D9).
    "permissions:access_log": Rule(
        "none", lambda user, s: decide(user, READ, "access_log")
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
