"""Replay a dated scenario of steps on one case: for lawyers and for tests.

`python manage.py replay SCENARIO.json` (docs/replay.md) opens a case of the
scenario's type with its facts, then takes each step on its own date as the
named user, through the same forms, guards and services the pages use, and
prints one JSON line per step: whether the law accepted it and why not, the
status, the open deadlines with their end dates, the money (the type's
`balance`) and the letters then offered to that user. Everything runs in one
transaction that is rolled back: a replay leaves no trace in the data (not
even in the access log, whose rows are part of the same transaction).

The clock is set to each step's date with time-machine, so "today" in every
term, guard and default is the step's date, as it was for the user then.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django import forms as django_forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

import time_machine

from casework import documents, letter_forms, pdf, services, steps
from casework.models import Case, Deadline
from casework.registry import registry
from casework.rules import RULE_ROLE, Refusal, StepRefused, why_not
from permissions.models import Membership
from permissions.services import team_add

RULE_FORM = "formulier"
RULE_LETTER = "brief"

KERNEL_ACTIONS = ("add_member", "make_letter")
STEP_KEYS = {"on", "as", "do", "with", "expect", "note"}


class ScenarioError(Exception):
    """Bad input: the scenario cannot be run as written (exit status 2)."""


@dataclass
class Outcome:
    """One step's line."""

    step: int
    on: str
    actor: str
    do: str
    accepted: bool
    why: list[dict] = field(default_factory=list)
    status: str = ""
    status_label: str = ""
    deadlines: dict = field(default_factory=dict)
    balance: dict | None = None
    letters: list[str] = field(default_factory=list)
    document: str = ""

    def as_dict(self) -> dict:
        line = {
            "step": self.step,
            "on": self.on,
            "as": self.actor,
            "do": self.do,
            "accepted": self.accepted,
            "why": self.why,
            "status": self.status,
            "status_label": self.status_label,
            "deadlines": self.deadlines,
            "balance": self.balance,
            "letters": self.letters,
        }
        if self.document:
            line["document"] = self.document
        return line


# --- Reading the scenario ----------------------------------------------------


def load(source) -> dict:
    """A scenario from a path, a JSON string's file or a dict."""
    if isinstance(source, dict):
        return source
    path = Path(source)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such file") from None
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"{path}: not JSON ({exc})") from None


def _date(value, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ScenarioError(
            f"{where}: '{value}' is not a date (write YYYY-MM-DD)"
        ) from None


def _where(number: int, step: dict) -> str:
    return f"step {number} ({step.get('do', '?')})"


def validate(scenario: dict) -> None:
    """Refuse a scenario that cannot run as written, before anything runs:
    an unknown case type, step or user, a malformed date, a missing key or a
    missing form field. The message names the step."""
    if not isinstance(scenario, dict):
        raise ScenarioError("the scenario must be a JSON object")
    code = scenario.get("case_type")
    if code not in registry.case_types:
        known = ", ".join(sorted(registry.case_types))
        raise ScenarioError(f"case_type: '{code}' is not a case type ({known})")
    entry = registry.case_type(code)
    facts = scenario.get("facts", {})
    if not isinstance(facts, dict):
        raise ScenarioError("facts: must be an object")
    _date(facts.get("opened_on", date.today().isoformat()), "facts.opened_on")
    steps_in = scenario.get("steps")
    if not isinstance(steps_in, list) or not steps_in:
        raise ScenarioError("steps: give a list of at least one step")
    names = transition_names(entry.proxy)
    previous = None
    for number, step in enumerate(steps_in, start=1):
        if not isinstance(step, dict):
            raise ScenarioError(f"step {number}: must be an object")
        where = _where(number, step)
        for key in ("on", "as", "do"):
            if key not in step:
                raise ScenarioError(f"{where}: missing '{key}'")
        unknown = set(step) - STEP_KEYS
        if unknown:
            raise ScenarioError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        on = _date(step["on"], f"{where}.on")
        if previous and on < previous:
            raise ScenarioError(f"{where}: dated {on} before the step before it")
        previous = on
        do = step["do"]
        if do not in names and do not in entry.actions and do not in KERNEL_ACTIONS:
            raise ScenarioError(
                f"{where}: unknown step '{do}' for {code}; known: "
                + ", ".join(sorted(names | set(entry.actions) | set(KERNEL_ACTIONS)))
            )
        given = step.get("with", {})
        if not isinstance(given, dict):
            raise ScenarioError(f"{where}: 'with' must be an object")
        form_class = _form_class(entry, do)
        if form_class is not None:
            _check_form_input(form_class, given, where)
        if do == "add_member":
            for key in ("user", "team_role"):
                if key not in given:
                    raise ScenarioError(f"{where}: missing field '{key}'")
        if do == "make_letter" and "template" not in given:
            raise ScenarioError(f"{where}: missing field 'template'")


def transition_names(proxy) -> set[str]:
    return {
        name
        for name in dir(proxy)
        if hasattr(getattr(proxy, name, None), "_django_fsm")
    }


def _form_class(entry, do: str):
    if do in entry.actions:
        return entry.actions[do].form
    step = entry.steps.get(do)
    return step.form if step is not None else None


def _check_form_input(form_class, given: dict, where: str) -> None:
    """Fields the step's form knows, dates that are dates, and every
    required field given (or proposed by the step, see `_bind`)."""
    fields = form_class.base_fields
    for key, value in given.items():
        if key not in fields:
            raise ScenarioError(
                f"{where}: unknown field '{key}'; the form has "
                + ", ".join(k for k in fields if k != "form_token")
            )
        if isinstance(fields[key], django_forms.DateField):
            _date(value, f"{where}.with.{key}")


# --- Running it -----------------------------------------------------------------


class _Rollback(Exception):
    pass


def _noon(on: date) -> datetime:
    """The step's moment: ten in the morning, Dutch time."""
    return datetime.combine(on, time(10, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def run(source, *, letters_dir: Path | None = None) -> list[dict]:
    """Run the scenario and return its lines; nothing stays in the database."""
    scenario = load(source)
    validate(scenario)
    lines: list[dict] = []
    # Users read Dutch: the refusals come in the interface's language.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                _Runner(scenario, lines, letters_dir).run()
                raise _Rollback
        except _Rollback:
            pass
    return lines


class _Runner:
    def __init__(self, scenario: dict, lines: list, letters_dir: Path | None):
        self.scenario = scenario
        self.lines = lines
        self.letters_dir = letters_dir
        self.entry = registry.case_type(scenario["case_type"])
        self.users = _users()
        self.where = ""

    def user(self, name: str, where: str):
        if name in self.users:
            return self.users[name]
        member = (
            Membership.objects.filter(role=name)
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        if member is None:
            raise ScenarioError(f"{where}: no demo user or role '{name}'")
        return member.user

    def run(self) -> None:
        facts = dict(self.scenario.get("facts", {}))
        opened_on = _date(facts.get("opened_on", date.today().isoformat()), "facts")
        with time_machine.travel(_noon(opened_on), tick=False):
            case = self.open(facts)
        for number, step in enumerate(self.scenario["steps"], start=1):
            on = _date(step["on"], "")
            with time_machine.travel(_noon(on), tick=False):
                case = Case.objects.get(pk=case.pk)
                self.lines.append(self.step(number, case, step, on).as_dict())

    def open(self, facts: dict) -> Case:
        opener = self.user(facts.get("opened_by", "jurist"), "facts.opened_by")
        code = self.entry.code
        title = facts.get("title") or f"Scenario {code}"
        try:
            case = services.case_open(
                user=opener,
                case_type=code,
                title=title,
                data_class=facts.get("data_class"),
            )
            for username, team_role in facts.get("team", {}).items():
                member = self.user(username, "facts.team")
                team_add(case=case, user=member, team_role=team_role)
            if self.entry.facts is not None:
                self.entry.facts(registry.proxy_for(case), opener, facts)
        except (ValidationError, PermissionDenied) as exc:
            raise ScenarioError(f"facts: {_messages(exc)}") from None
        return case

    def step(self, number: int, case: Case, step: dict, on: date) -> Outcome:
        where = self.where = _where(number, step)
        user = self.user(step["as"], where)
        outcome = Outcome(
            step=number,
            on=on.isoformat(),
            actor=step["as"],
            do=step["do"],
            accepted=False,
        )
        try:
            refusals = self.take(case, user, step, outcome)
        except StepRefused as exc:
            refusals = exc.refusals
        except PermissionDenied as exc:
            refusals = [Refusal(rule=RULE_ROLE, message=str(exc) or "Niet toegestaan.")]
        except pdf.LetterValidationError as exc:
            refusals = [
                Refusal(rule=RULE_LETTER, message=f"{p.key}: {p.text}")
                for p in exc.problems
            ]
        except ValidationError as exc:
            refusals = [Refusal(rule=RULE_FORM, message=m) for m in _messages_list(exc)]
        outcome.accepted = not refusals
        outcome.why = [r.as_dict() for r in refusals]
        self.describe(Case.objects.get(pk=case.pk), user, outcome)
        return outcome

    def take(self, case: Case, user, step: dict, outcome: Outcome) -> list[Refusal]:
        """Take the step as the page would; the refusals, or [] when done."""
        do, given = step["do"], dict(step.get("with", {}))
        note = step.get("note", given.pop("note", ""))
        if do == "add_member":
            member = self.user(given["user"], do)
            services.case_team_add(
                case=case, user=user, member=member, team_role=given["team_role"]
            )
            return []
        if do == "make_letter":
            return self.make_letter(case, user, given, outcome)
        if do in self.entry.actions:
            action = self.entry.actions[do]
            data = (
                self.bind(action.form, given, note, initial={})
                if action.form
                else given
            )
            if isinstance(data, list):
                return data
            action.run(registry.proxy_for(case), user, data)
            return []
        refusals = why_not(case, do, user)
        if refusals:
            return refusals
        form_class = steps.step_form(case, do)
        data = {}
        if form_class is not None:
            data = self.bind(form_class, given, note, steps.initial_for(do, case))
            if isinstance(data, list):
                return data
            note = data.pop("note", note)
        steps.step_run(case=case, name=do, user=user, note=note, data=data)
        return []

    def bind(self, form_class, given: dict, note: str, initial: dict):
        """The form bound with the step's inputs over what the page proposes;
        its cleaned data, or its errors as refusals."""
        proposed = {
            name: f.initial
            for name, f in form_class.base_fields.items()
            if f.initial is not None and not callable(f.initial)
        }
        values = {
            key: _form_value(value)
            for key, value in {**proposed, **initial, **given}.items()
            if value is not None
        }
        missing = [
            name
            for name, f in form_class.base_fields.items()
            if f.required
            and name not in values
            and name != "form_token"
            and not (name == "note" and note)
            and not isinstance(f, django_forms.BooleanField)
        ]
        if missing:
            raise ScenarioError(
                f"{self.where}: missing field(s) {', '.join(missing)} in 'with'"
            )
        if note:
            values["note"] = note
        values["form_token"] = "replay"
        form = form_class(data=values)
        if not form.is_valid():
            refusals = []
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for error in errors:
                    text = f"{label}: {error}" if label else str(error)
                    refusals.append(Refusal(rule=RULE_FORM, message=text))
            return refusals
        data = dict(form.cleaned_data)
        data.pop("form_token", None)
        return data

    def make_letter(self, case, user, given: dict, outcome: Outcome) -> list[Refusal]:
        key = given["template"]
        if key not in pdf.TEMPLATES:
            raise ScenarioError(f"make_letter: no letter template '{key}'")
        if not documents.may_make(user, case, key):
            return [
                Refusal(
                    rule=RULE_LETTER,
                    message=f"De brief '{key}' wordt bij deze stap niet aangeboden "
                    "aan deze gebruiker.",
                )
            ]
        # As the letter page does: the prefill and the inputs given, through
        # the letter's form (lists one per line, records with "|").
        values = {**letter_forms.initial_for(case, key), **given.get("inputs", {})}
        fields = letter_forms.LetterForm(template_key=key).fields
        data = {
            name: _letter_value(values[name], field)
            for name, field in fields.items()
            if values.get(name) is not None
        }
        form = letter_forms.LetterForm(
            data={**data, "form_token": "replay"}, template_key=key
        )
        if not form.is_valid():
            return [
                Refusal(rule=RULE_LETTER, message=f"{name}: {error}")
                for name, errors in form.errors.items()
                for error in errors
            ]
        document = documents.document_generate(
            case=case, user=user, template_key=key, inputs=form.inputs()
        )
        outcome.document = f"{key} v{document.version}"
        if self.letters_dir is not None:
            self.letters_dir.mkdir(parents=True, exist_ok=True)
            name = f"{outcome.step:02d}-{key}-v{document.version}.pdf"
            (self.letters_dir / name).write_bytes(bytes(document.content))
        return []

    def describe(self, case: Case, user, outcome: Outcome) -> None:
        case = registry.proxy_for(case)
        outcome.status = case.status
        outcome.status_label = registry.status_label(case.case_type, case.status)
        outcome.deadlines = open_deadlines(case)
        if self.entry.balance is not None:
            outcome.balance = self.entry.balance(case)
        outcome.letters = sorted(t.key for t in documents.letters_offered(user, case))


def open_deadlines(case: Case) -> dict[str, str]:
    """Legal basis → end date of the deadlines not yet met; a second deadline
    on the same basis is listed as "basis #2"."""
    rows = case.deadlines.filter(
        state__in=[Deadline.State.OPEN, Deadline.State.SUSPENDED, Deadline.State.LAPSED]
    ).order_by("end_date", "pk")
    result: dict[str, str] = {}
    for row in rows:
        key, n = row.legal_basis, 1
        while key in result:
            n += 1
            key = f"{row.legal_basis} #{n}"
        end = row.end_date.isoformat() if row.end_date else ""
        result[key] = end + (
            " (opgeschort)" if row.state == Deadline.State.SUSPENDED else ""
        )
    return result


def _letter_value(value, field):
    """A prefill or scenario value as the letter page's form posts it: a
    list one item per line (records with "|"), except for a field of several
    choices, which posts the list."""
    if isinstance(value, list) and not isinstance(
        field, django_forms.MultipleChoiceField
    ):
        return "\n".join(
            " | ".join(str(v) for v in item.values())
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    return _form_value(value)


def _form_value(value):
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, (date, Decimal, int, float)):
        return str(value)
    return value


def _users() -> dict:
    """The demo users by username; made (inside the rolled-back transaction)
    when the database holds no demo."""
    from casework.demo import USERS, organisations_and_users

    names = [row[0] for row in USERS]
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) < len(names):
        missing = [n for n in names if n not in users]
        if len(missing) == len(names):
            _orgs, users = organisations_and_users()
    return users


def _messages_list(exc: ValidationError) -> list[str]:
    return [str(m) for m in getattr(exc, "messages", [str(exc)])]


def _messages(exc) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(_messages_list(exc))
    return str(exc)
