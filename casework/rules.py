"""The law refuses: legal preconditions of steps, and the refusal that names
the rule.

A case type states what the law forbids in two places, both in its own
package:

- **Guards on transitions** (`guard`): a django-fsm condition that answers
  with a `Refusal` instead of False, so the machine can say *why* a step is
  not possible now ("the views period runs until 12 March 2026 (Awb 4:8)").
  Use them for what the case itself decides: a term still running, a besluit
  not yet taken, a remedy still open.
- **Checks on a step's inputs** (`casework.steps.Step.checks`): functions of
  the case and the step's cleaned form data, for what the dates entered
  decide: a bekendmaking before the besluit, an aanmaning before payment was
  due. `step_run` runs them before the transition, in the same transaction,
  and refuses with `StepRefused` — nothing changes.

Both give a `Refusal`: the rule (a statute article, or the name of the
process rule), a message users read, and the date it turns on. `why_not`
collects the refusals of a transition for the case page and for
`manage.py replay`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# A citation in parentheses closing a message: "(art. 2.31, zesde lid, Wgs)."
CITED_AT_END = re.compile(
    r"\([^()]*\b(?:art\.|artikel|lid|Awb|Wgs|WGS|Gemw|Sr|Opiumwet|Bibob)\b[^()]*\)\.?$"
)

# The rule names of the machine itself, when no statute is at stake.
RULE_ORDER = "proces: volgorde van stappen"
RULE_ROLE = "bevoegdheid: rol"


@dataclass(frozen=True)
class Refusal:
    """Why a step is refused: the rule, what users read, and the date the
    refusal turns on (None when no date is at stake)."""

    rule: str
    message: str
    on: date | None = None

    def __str__(self) -> str:
        # A message that already cites its rule — word for word, or as the
        # Dutch text words it, "(art. 2.31, zesde lid, Wgs)" at its end — is
        # not followed by it again.
        message = str(self.message)
        if self.rule in message or CITED_AT_END.search(message):
            return message
        return f"{message} ({self.rule})"

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "message": str(self.message),
            "date": self.on.isoformat() if self.on else None,
        }


def refuse(rule: str, message: str, on: date | None = None, **params) -> Refusal:
    """A refusal whose message may name dates and values: `%(date)s` is the
    refusal's date in Dutch long form, other `%(name)s` come from params."""
    values = {key: _format(value) for key, value in params.items()}
    if on is not None:
        values.setdefault("date", _format(on))
    return Refusal(
        rule=rule, message=str(message) % values if values else str(message), on=on
    )


def _format(value):
    if isinstance(value, date):
        return date_format(value, "j F Y")
    return value


class StepRefused(ValidationError):
    """A step refused by the law: carries its refusals. A ValidationError,
    so forms and views that show validation errors show these too."""

    def __init__(self, refusals: list[Refusal]):
        self.refusals = list(refusals)
        super().__init__([str(r) for r in self.refusals])


def guard(fn: Callable) -> Callable:
    """Turn `fn(case) -> Refusal | None` into a django-fsm condition.

    The condition answers True when `fn` has no refusal; `explain(case)` gives
    the refusal. Its docstring stays the rule's documentation."""

    def condition(case) -> bool:
        return fn(case) is None

    condition.__name__ = fn.__name__
    condition.__qualname__ = fn.__qualname__
    condition.__doc__ = fn.__doc__
    condition.__module__ = fn.__module__
    condition.explain = fn
    return condition


def refusal_of(condition, case) -> Refusal | None:
    """The condition's refusal, or None when it holds: a `guard` is asked
    once (its explanation is its answer), a plain condition once too."""
    reason = getattr(condition, "explain", None)
    if reason is not None:
        return reason(case)
    return None if condition(case) else explain(condition, case)


def explain(condition, case) -> Refusal:
    """The refusal of a failing condition: its own when it is a `guard`,
    otherwise the first line of its docstring under the process rule."""
    reason = getattr(condition, "explain", None)
    if reason is not None:
        refusal = reason(case)
        if refusal is not None:
            return refusal
    doc = (condition.__doc__ or condition.__name__).strip().splitlines()[0]
    return Refusal(rule=RULE_ORDER, message=doc)


def run_checks(checks, case, data: dict) -> list[Refusal]:
    """The refusals of a step's input checks (`Step.checks`)."""
    refusals = []
    for check in checks:
        refusal = check(case, data)
        if refusal is not None:
            refusals.append(refusal)
    return refusals


def why_not(case, name: str, user=None) -> list[Refusal]:
    """Why transition `name` cannot run on the case now (for `user`, when
    given): an empty list when it can."""
    from casework.registry import registry

    proxy = registry.proxy_for(case)
    method = getattr(proxy, name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        return [
            Refusal(
                rule=RULE_ORDER, message=_("Unknown step “%(step)s”.") % {"step": name}
            )
        ]
    state = proxy.status
    transition = meta.get_transition(state)
    if transition is None:
        label = registry.status_label(case.case_type, state)
        return [
            Refusal(
                rule=RULE_ORDER,
                message=_("This step is not possible in status “%(status)s”.")
                % {"status": label},
            )
        ]
    refusals = [
        refusal
        for condition in transition.conditions
        if (refusal := refusal_of(condition, proxy)) is not None
    ]
    if user is not None and not transition.has_perm(proxy, user):
        refusals.append(
            Refusal(rule=RULE_ROLE, message=_("Your role may not take this step."))
        )
    return refusals
