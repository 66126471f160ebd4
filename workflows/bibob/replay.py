"""What `manage.py replay` needs of a Bibob case beyond its transitions
(docs/replay.md, docs/bibob.md "Replay"): the facts of a scenario and the
steps that are not transitions, each through the service the pages call.

Facts (all optional):

- `applicant`: `{"name", "kind": "person"|"company", "kvk_number", "bsn"}`
  (or just a name), recorded as the case's applicant (aanvrager);
- `address`: `{"street", "house_number", "addition", "postcode", "city"}`,
  the premises (and the applicant's address the letters propose);
- `application_type` (with `received_on` and `kind`, default
  "application"): the intake is recorded at opening as the intake step
  `start_regular_assessment` records it — the decision term starts and the
  competent body is set — and the case stands in B05. The opener must be
  the Bibob coordinator. On an empty database the example decision terms
  of docs/domain.md §3.2 are seeded first (`seed_example_term_policy`).

Actions:

- `add_source` {kind, consulted_on, legal_basis, finding}: the dossier's
  source form (`bibob_source_add`);
- `record_conclusion` {degree, ground_a, ground_b, ground_6, advice_needed,
  proportionality, concluded_on}: the dossier's conclusion form
  (`bibob_conclusion_record`);
- `receive_third_party_views` {name, received_on}: the views of a third
  party named in the voornemen (art 33 lid 1) came in; its period is met.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework import services as kernel
from casework.forms import DATE_WIDGET
from casework.models import CaseParty, Location, Party
from casework.registry import Action
from casework.steps import step_run

from . import services
from .terms import DecisionTermPolicy, seed_example_term_policy
from .views import ConclusionForm, SourceForm

BAD_FACT = "bibob: fact %(key)s: %(problem)s"


def _day(value, key: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            BAD_FACT % {"key": key, "problem": f"'{value}' is not a date"}
        ) from None


def record_facts(case, user, facts: dict) -> None:
    """The scenario's applicant, address and intake (module docstring)."""
    applicant = facts.get("applicant")
    if applicant:
        if isinstance(applicant, str):
            applicant = {"name": applicant}
        party = Party(
            kind=applicant.get("kind", Party.Kind.COMPANY),
            name=applicant["name"],
            kvk_number=applicant.get("kvk_number", ""),
            bsn=applicant.get("bsn", ""),
        )
        kernel.case_add_party(
            case=case, user=user, party=party, role=CaseParty.Role.AANVRAGER
        )
    address = facts.get("address")
    if address:
        location = Location(
            street=address.get("street", ""),
            house_number=int(address["house_number"]),
            addition=address.get("addition", ""),
            postcode=address["postcode"],
            city=address["city"],
        )
        kernel.case_add_location(
            case=case, user=user, location=location, role="premises"
        )
    if facts.get("application_type"):
        if not DecisionTermPolicy.objects.exists():
            # A fresh database (replay): the example terms of domain.md §3.2.
            seed_example_term_policy()
        step_run(
            case=case,
            name="start_regular_assessment",
            user=user,
            data={
                "kind": facts.get("kind", "application"),
                "application_type": facts["application_type"],
                "received_on": _day(
                    facts.get("received_on", facts.get("opened_on")), "received_on"
                ),
            },
        )


class ThirdPartyViewsForm(forms.Form):
    name = forms.CharField(label=_("name"))
    received_on = forms.DateField(
        label=_("Views received or heard on"), widget=DATE_WIDGET
    )


def _source(case, user, data):
    return services.bibob_source_add(case=case, user=user, **data)


def _conclusion(case, user, data):
    return services.bibob_conclusion_record(case=case, user=user, **data)


def _third_party_views(case, user, data):
    from .steps import _third_party_views as run

    return run(case, user, data)


ACTIONS = {
    # The dossier page's own forms (workflows/bibob/views.py).
    "add_source": Action(SourceForm, _source, _("Log a consulted source")),
    "record_conclusion": Action(
        ConclusionForm, _conclusion, _("Record the conclusion")
    ),
    "receive_third_party_views": Action(
        ThirdPartyViewsForm,
        _third_party_views,
        _("Record the views of a third party (art 33)"),
    ),
}
