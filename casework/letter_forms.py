"""A form for any letter template, built from the template's fields.

Each `casework.letters.Field` has a kind: text, date, amount, lines and names
(one item per line), choice/choices (from its options) and records (one record
per line, the columns separated by "|").
"""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import pdf
from .forms import DATE_WIDGET, TokenForm

LONG_TEXT = {
    "violation", "measure_description", "herstelmaatregel", "rechtsmiddelenclausule",
    "findings_summary", "grounds", "intended_decision", "subject",
    "proportionality", "spoed_reason", "zienswijze", "next_measure",
    "payment_instructions", "motivation", "purpose", "shared_data",
    "advice", "reasons", "closure_report",
}  # fmt: skip

RECHTSMIDDELENCLAUSULE = (
    "Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken na de dag "
    "waarop dit besluit aan u is bekendgemaakt een bezwaarschrift indienen bij de "
    "burgemeester (artikel 6:7 en 6:8 Algemene wet bestuursrecht). Het "
    "bezwaarschrift moet zijn ondertekend en bevat ten minste uw naam en adres, de "
    "datum, een omschrijving van het besluit en de redenen van uw bezwaar. Een "
    "bezwaarschrift schorst de werking van het besluit niet; u kunt de "
    "voorzieningenrechter van de rechtbank om een voorlopige voorziening vragen."
)

LABELS = {
    "reference": _("Case reference"), "date": _("Letter date"),
    "recipient_name": _("Addressee"), "recipient_address": _("Address (one line each)"),
    "premises_address": _("Premises"), "violation": _("Facts and violation"),
    "legal_basis": _("Legal basis"), "measure_description": _("Measure"),
    "amount_per_violation": _("Amount per violation (EUR)"),
    "maximum_amount": _("Maximum amount (EUR)"),
    "zienswijze_deadline": _("Views to be given before"),
    "herstelmaatregel": _("Remedial measure"),
    "begunstigingstermijn": _("Grace period"),
    "beleidsregel": _("Policy rule applied (name and version)"),
    "rechtsmiddelenclausule": _("Legal remedies clause"),
    "total_amount": _("Total amount (EUR)"), "payment_deadline": _("Pay before"),
    "forfeitures": _("Forfeitures: date | description | amount, one per line"),
    "applicant_name": _("Applicant"), "application_type": _("Kind of application"),
    "application_date": _("Date of application"),
    "findings_summary": _("Summary of the own investigation"),
    "requesting_body": _("Requesting body"),
    "intended_decision": _("Intended decision"),
    "grounds": _("Grounds (Wet Bibob art 3)"),
    "degree_of_danger": _("Degree of danger"),
    "visit_date": _("Date of the visit"), "addresses": _("Addresses, one per line"),
    "partners": _("Partners, one per line"),
    "findings": _("Findings: partner | text, one per line"),
    "person_name": _("Person"), "goals": _("Goals: life domain | goal, one per line"),
    "interventions": _(
        "Interventions: partner | description | kind | owner | legal basis | "
        "due date, one per line"
    ),
    "subject": _("Subject"), "preventive": _("Preventive order (no grace period)"),
    "premises_kind": _("Premises: woning or lokaal (art. 13b Opiumwet)"),
    "closure_months": _("Closure (months)"),
    "proportionality": _("Proportionality: the weighing (Awb 3:4 lid 2)"),
    "spoed": _("Urgent closure without prior order (Awb 5:31): no grace period"),
    "spoed_reason": _("Why it is urgent (Awb 5:31 lid 1)"),
    "copy_to": _("Also made known to the holders of a right to use, one per line"),
    "amount_due": _("Amount due (EUR)"),
    "reminder_costs": _("Reminder fee (EUR, Awb 4:113)"),
}  # fmt: skip

RECORD_FORMAT = _("Line %(line)s: give %(count)s fields separated by |.")


def field_for(field, *, required: bool = True) -> forms.Field:
    """The form field for one template field."""
    form_field = _field_for(field)
    # A field another input can waive (the grace period of an urgent closure)
    # or demand is left to the template's validation, which knows both.
    form_field.required = required and field.kind != "bool" and not field.waived_by
    return form_field


def _field_for(field) -> forms.Field:
    label = LABELS.get(field.key) or str(field.label)[:1].upper() + str(field.label)[1:]
    kind = field.kind
    if kind == "bool":
        return forms.BooleanField(label=label, required=False)
    if kind == "records":
        columns = " | ".join(str(column.label) for column in field.columns)
        return forms.CharField(
            label=label,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("One per line: %(columns)s") % {"columns": columns},
        )
    if kind in ("lines", "names"):
        return forms.CharField(
            label=label,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("One per line."),
        )
    if kind == "date":
        return forms.DateField(label=label, widget=DATE_WIDGET)
    if kind == "count":
        return forms.IntegerField(label=label, min_value=1)
    if kind == "amount":
        return forms.DecimalField(
            label=label, min_value=Decimal("0.01"), decimal_places=2
        )
    if kind == "choice":
        return forms.ChoiceField(label=label, choices=[(o, o) for o in field.options])
    if kind == "choices":
        return forms.MultipleChoiceField(
            label=label,
            choices=[(o, o) for o in field.options],
            widget=forms.CheckboxSelectMultiple,
        )
    if field.key in LONG_TEXT:
        return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 3}))
    return forms.CharField(label=label, max_length=500)


class LetterForm(TokenForm):
    def __init__(self, *args, template_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = pdf.get_template(template_key)
        self.template_fields = {
            field.key: field
            for field in (*self.template.fields, *self.template.optional)
        }
        for field in self.template.fields:
            self.fields[field.key] = field_for(field)
        for field in self.template.optional:
            self.fields[field.key] = field_for(field, required=False)

    def clean(self):
        data = super().clean()
        for key, field in self.template_fields.items():
            value = data.get(key)
            if not isinstance(value, str):
                continue
            if field.kind in ("lines", "names"):
                data[key] = [ln.strip() for ln in value.splitlines() if ln.strip()]
            elif field.kind == "records":
                data[key] = self._records(key, field, value)
        return data

    def _records(self, key, field, value):
        records = []
        for number, line in enumerate(value.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != len(field.columns):
                self.add_error(
                    key, RECORD_FORMAT % {"line": number, "count": len(field.columns)}
                )
                return []
            records.append(
                {
                    column.key: part
                    for column, part in zip(field.columns, parts, strict=True)
                }
            )
        return records

    def inputs(self) -> dict:
        values = {}
        for key in self.template_fields:
            value = self.cleaned_data.get(key)
            if value in (None, "", []) and key not in self.template.required:
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            values[key] = value
        return values


def initial_for(case, template_key: str) -> dict:
    """Prefill from the case: reference, date, first party and premises, and for
    an LOD case what its decision, deadlines, forfeitures and earlier letters
    already say. Never anything from signals: a police report (D3) stays out
    of letters (`casework.documents.police_text_problems`)."""
    parties = list(case.parties.select_related("party")[:1])
    locations = list(case.locations.select_related("location")[:1])
    initial = {
        "reference": case.reference,
        "date": timezone.localdate(),
        "rechtsmiddelenclausule": RECHTSMIDDELENCLAUSULE,
    }
    if parties:
        name = parties[0].party.name
        initial.update(recipient_name=name, applicant_name=name, person_name=name)
    if locations:
        location = locations[0].location
        initial["premises_address"] = str(location)
        number = f"{location.house_number}{location.addition}"
        initial["recipient_address"] = (
            f"{location.street} {number}\n{location.postcode} {location.city}"
        )
        initial["addresses"] = str(location)
    # The case kernel does not depend on the case types: the LOD prefill only
    # runs where the workflows app (beleidsregel, dwangsom accounting) is there.
    if case.case_type == "LOD" and apps.is_installed("workflows"):
        initial.update(_lod_initial(case, template_key, initial["date"]))
    if case.case_type == "IC" and apps.is_installed("workflows"):
        initial.update(_controle_initial(case))
    if case.case_type == "BIB" and apps.is_installed("workflows"):
        from workflows.bibob_letters import letter_initial

        initial.update(letter_initial(case, template_key))
    if case.case_type == "PGA" and apps.is_installed("workflows"):
        initial.update(_pga_initial(case, template_key))
    return initial


def _one_line(text: str) -> str:
    """A finding as one record line: no line breaks, no column separator."""
    return " ".join(text.replace("|", "/").split())


def _controle_initial(case) -> dict:
    """The consolidated visit report: the latest visit, its partners and only
    the findings a partner marked shareable (issue 6 item 5)."""
    visit = case.visits.order_by("-planned_at").prefetch_related("slots").first()
    initial = {
        "addresses": "\n".join(str(cl.location) for cl in case.locations.all()),
        "findings": "\n".join(
            f"{finding.organisation} | {_one_line(finding.text)}"
            for finding in case.findings.filter(shareable=True).select_related(
                "organisation"
            )
        ),
    }
    if visit is not None:
        if visit.planned_at:
            initial["visit_date"] = timezone.localdate(visit.planned_at)
        initial["partners"] = "\n".join(
            str(slot.get_kind_display()) for slot in visit.slots.all()
        )
    return initial


def _pga_initial(case, template_key: str) -> dict:
    """What a PGA case knows for its five letters (casework/letters_pga.py).

    The letters go to the reporting participant or a selected participant,
    never to the person: the person's name and address from the general
    prefill are dropped as addressee. A rejected referral has been minimised
    (no person, no goals); a signal-made case may still lack its referral."""
    from workflows.pga_models import PgaPolicy
    from workflows.pga_services import REVIEW_BASIS, person_of

    from .letters_pga import KIND_OF, LIFE_DOMAINS, initials
    from .models import Deadline

    today = timezone.localdate()
    person = person_of(case)
    initial = {
        "recipient_name": "",
        "recipient_address": "",
        "person_name": person.name if person else "",
        "person_initials": initials(person.name) if person else "",
    }
    referral = getattr(case, "pga_referral", None)
    if referral is not None:
        initial["recipient_name"] = referral.reporter.name
        initial["received_on"] = referral.received_on
        initial["advice"] = referral.advice
        initial["retention_until"] = referral.retention_until
        if referral.case_director is not None:
            director = referral.case_director
            initial["case_director"] = director.get_full_name() or director.username
    initial["participants"] = "\n".join(
        p.organisation.name
        for p in case.pga_participants.select_related("organisation")
    )
    goals = [
        (LIFE_DOMAINS.get(g.life_domain, g.life_domain), g)
        for g in case.pga_goals.order_by("life_domain", "id")
    ]
    if template_key == "afsluiting_pga":
        # Each goal with its outcome, one per line, as the close step writes
        # them (workflows/pga_steps.py `closure_inputs`).
        initial["goals"] = "\n".join(
            f"{domain}: {_one_line(g.description)} "
            + ("(bereikt)" if g.achieved else "(niet bereikt)")
            for domain, g in goals
        )
    else:
        initial["goals"] = "\n".join(
            f"{domain} | {_one_line(g.description)}" for domain, g in goals
        )
    initial["interventions"] = "\n".join(
        " | ".join(
            (
                v.organisation.name,
                _one_line(v.description),
                KIND_OF.get(v.kind, v.kind),
                (v.owner.get_full_name() or v.owner.username) if v.owner else "",
                _one_line(v.legal_basis),
                v.due_on.isoformat() if v.due_on else "",
            )
        )
        for v in case.pga_interventions.select_related("organisation", "owner")
    )
    review = (
        case.deadlines.filter(legal_basis=REVIEW_BASIS, state=Deadline.State.OPEN)
        .order_by("end_date")
        .first()
    )
    initial["next_evaluation"] = (
        review.end_date
        if review is not None
        else today + timedelta(weeks=PgaPolicy.on(today).review_weeks)
    )
    conference = case.pga_conferences.first()  # the newest (Meta.ordering)
    if conference is not None:
        planned = timezone.localtime(conference.planned_at)
        initial.update(
            conference_date=planned.date(),
            conference_time=f"{planned:%H.%M}",
            place=conference.place,
            agenda=conference.agenda,
        )
    closed = case.closed_at
    initial["closed_on"] = timezone.localdate(closed) if closed else today
    return initial


# Prefilled values that are printed in the letter are Dutch letter text
# (decision 0003), not interface strings: never gettext.
GRACE_DAYS_TEXT = "{days} dagen na de dag waarop het besluit aan u is bekendgemaakt"
NO_GRACE_PERIOD_TEXT = "geen (preventieve last)"
FORFEITURE_TEXT = "Overtreding van de last vastgesteld"


def _latest_inputs(case, *template_keys: str) -> dict:
    """The inputs of the case's latest stored letter of these templates."""
    from .models import Document

    inputs = (
        Document.objects.filter(case=case, template_key__in=template_keys)
        .order_by("-created_at", "-version")
        .values_list("inputs", flat=True)
        .first()
    )
    return inputs or {}


def _lod_initial(case, template_key: str, today) -> dict:
    """What an LOD case already knows: the decision (or the policy's proposal),
    the dates of its deadlines and earlier letters, the forfeitures."""
    from casework import terms
    from casework.deadlines import equated_holidays
    from casework.models import Deadline
    from workflows.handhavingsmatrix import (
        LodDecision,
        Measure,
        latest_assessment,
        proposal_for,
    )
    from workflows.legal_protection import DecisionKind
    from workflows.penalties import dwangsom_account
    from workflows.steps import AANMANING_BASIS, made_known_on

    from .letters_lod import reminder_fee

    initial = {}
    assessment = latest_assessment(case)
    if assessment is not None:
        initial["premises_kind"] = assessment.premises_kind
    decision = (
        LodDecision.objects.filter(case=case).select_related("beleidsregel").first()
    )
    source = decision
    if source is None:
        try:
            source = proposal_for(case)
        except ValidationError:
            source = None
    if source is not None:
        initial["beleidsregel"] = str(source.beleidsregel)
        if source.measure == Measure.DWANGSOM:
            initial["amount_per_violation"] = source.amount
            initial["maximum_amount"] = source.maximum
        if source.closure_months:
            initial["closure_months"] = source.closure_months
        if source.grace_days:
            initial["begunstigingstermijn"] = GRACE_DAYS_TEXT.format(
                days=source.grace_days
            )
        elif source.measure == Measure.DWANGSOM:
            initial["begunstigingstermijn"] = NO_GRACE_PERIOD_TEXT
            initial["preventive"] = True
        elif source is decision and source.measure == Measure.SLUITING:
            # The urgent closure step records a closure without grace period.
            initial["spoed"] = True

    views = case.deadlines.filter(legal_basis__startswith="Awb 4:8")
    running = views.filter(
        state__in=[Deadline.State.OPEN, Deadline.State.SUSPENDED]
    ).order_by("-event_date")
    if (current := running.first()) is not None:
        initial["zienswijze_deadline"] = current.end_date
    if (latest := views.order_by("-event_date").first()) is not None:
        initial["voornemen_date"] = latest.event_date

    order = _latest_inputs(case, "besluit_lod")
    if order.get("date"):
        initial["besluit_date"] = order["date"]
        initial["besluit_reference"] = order.get("reference", "")
    if (known := made_known_on(case)) is not None:
        initial["made_known_on"] = known

    account = dwangsom_account(case)
    if account is not None and account.lines:
        initial["forfeitures"] = "\n".join(
            f"{line.forfeiture.forfeited_on.isoformat()} | "
            f"{line.forfeiture.note or FORFEITURE_TEXT} | "
            f"{line.forfeiture.amount}"
            for line in account.lines
        )
        initial["total_amount"] = account.total
        initial["amount_due"] = account.outstanding
        initial["original_due_date"] = max(line.payment_due for line in account.lines)
        initial["payment_deadline"] = today + timedelta(days=14)
        if account.outstanding > 0:
            initial["reminder_costs"] = reminder_fee(account.outstanding)

    collection = _latest_inputs(case, "invorderingsbeschikking")
    if collection.get("date"):
        initial["collection_decision_date"] = collection["date"]
        initial["collection_decision_reference"] = collection.get("reference", "")
        if collection.get("payment_deadline"):
            initial["original_due_date"] = collection["payment_deadline"]
    else:
        decided = (
            case.legal_protections.filter(decision_kind=DecisionKind.COLLECTION)
            .order_by("-decided_on")
            .values_list("decided_on", flat=True)
            .first()
        )
        if decided is not None:
            initial["collection_decision_date"] = decided

    if template_key == "aanmaning":
        # Two weeks from the day after dispatch, extended by the Algemene
        # termijnenwet (a term set by law): the deadline the reminder step
        # opened, or the same computation from today.
        reminder = (
            case.deadlines.filter(
                legal_basis=AANMANING_BASIS,
                state__in=[Deadline.State.OPEN, Deadline.State.SUSPENDED],
            )
            .order_by("-event_date")
            .first()
        )
        if reminder is not None:
            initial["date"] = reminder.event_date
            initial["payment_deadline"] = reminder.end_date
        else:
            initial["payment_deadline"] = terms.compute_term(
                today, weeks=2, atw=True, extra_holidays=equated_holidays()
            ).end
    return initial
