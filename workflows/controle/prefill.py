"""What an integrale controle case knows for its letters (the visit report):
registered as the case type's prefill."""

from django.utils import timezone

from casework.letter_forms import one_line
from permissions.policy import actor_for

from .models import current_visit


def _partners(visit, findings) -> list[str]:
    """The organisations that took part, by the names their findings carry
    (the bezoekrapport's check wants each finding's partner among them): the
    organisation that led the visit, each slot's organisation (or its
    discipline when no organisation was named), and any other organisation
    with a shareable finding."""
    names: list[str] = []

    def add(name) -> None:
        name = one_line(str(name))
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)

    if visit is not None:
        lead = actor_for(visit.lead)
        if lead.organisation_id is not None:
            from permissions.models import Organisation

            add(Organisation.objects.get(pk=lead.organisation_id).name)
        for slot in visit.slots.select_related("organisation").order_by("id"):
            add(
                slot.organisation.name if slot.organisation else slot.get_kind_display()
            )
    for finding in findings:
        add(finding.organisation.name)
    return names


def _controle_initial(case) -> dict:
    """The consolidated visit report: the current visit (its recorded start,
    else its planned date), its partners and only the findings a partner
    marked shareable (issue 6 item 5)."""
    visit = current_visit(case)
    findings = list(case.findings.filter(shareable=True).select_related("organisation"))
    initial = {
        "addresses": "\n".join(str(cl.location) for cl in case.locations.all()),
        "findings": "\n".join(
            f"{one_line(finding.organisation.name)} | {one_line(finding.text)}"
            for finding in findings
        ),
        "partners": "\n".join(_partners(visit, findings)),
    }
    if visit is not None:
        if visit.started_on:
            initial["visit_date"] = visit.started_on
        elif visit.planned_at:
            initial["visit_date"] = timezone.localdate(visit.planned_at)
    return initial


def prefill(case, template_key: str, initial: dict) -> dict:
    return _controle_initial(case)
