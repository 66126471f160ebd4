"""What `manage.py replay` needs of a gebiedsverbod case beyond its
transitions (docs/replay.md, docs/gebiedsverbod.md "Replay"): the facts of a
scenario and the steps that are not transitions, each through the same
service the package's pages call.

Facts (all optional):

- `incidents`: a list of `{"occurred_on", "place", "description"}`, recorded
  by the opener as the jurist's incident form does (`incident_record`);
- `apv_policy`: `{"name", "article", "version", "max_days",
  "max_extensions", "valid_from", "valid_to"}`, the municipality's APV
  configuration (what the functional administrator records in the admin).

Actions:

- `record_incident` {occurred_on, place, description}: the jurist's incident
  form;
- `report_violation` {occurred_on, place, description, occurred_at,
  pv_number, om, forwarded_to_om_on}: the police's violation form
  (`violation_report_create`; refused outside the measure's term, Sr 184).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework.registry import Action

from . import services
from .forms import IncidentForm, ViolationForm
from .measures import ApvPolicy

BAD_FACT = "gebiedsverbod: fact %(key)s: %(problem)s"


def _day(value, key: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            BAD_FACT % {"key": key, "problem": f"'{value}' is not a date"}
        ) from None


def record_facts(case, user, facts: dict) -> None:
    """The scenario's incidents and APV policy (see the module docstring)."""
    policy = facts.get("apv_policy")
    if policy:
        row = ApvPolicy(
            name=policy.get("name", "APV verblijfsontzegging"),
            article=policy.get("article", "2:79"),
            version=policy.get("version", 1),
            max_days=policy["max_days"],
            max_extensions=policy.get("max_extensions", 0),
            valid_from=_day(policy["valid_from"], "apv_policy.valid_from"),
            valid_to=(
                _day(policy["valid_to"], "apv_policy.valid_to")
                if policy.get("valid_to")
                else None
            ),
        )
        row.full_clean()
        row.save()
    for number, incident in enumerate(facts.get("incidents", []), start=1):
        services.incident_record(
            case=case,
            user=user,
            occurred_on=_day(incident["occurred_on"], f"incidents[{number}]"),
            place=incident.get("place", ""),
            description=incident.get("description", ""),
        )


def _record_incident(case, user, data: dict):
    return services.incident_record(case=case, user=user, **data)


def _report_violation(case, user, data: dict):
    return services.violation_report_create(case=case, user=user, **data)


ACTIONS = {
    "record_incident": Action(IncidentForm, _record_incident, _("Record an incident")),
    "report_violation": Action(
        ViolationForm, _report_violation, _("Report a violation of the measure")
    ),
}
