"""What an integrale controle case knows for its letters (the visit report):
registered as the case type's prefill."""

from django.utils import timezone

from casework.letter_forms import one_line


def _controle_initial(case) -> dict:
    """The consolidated visit report: the latest visit, its partners and only
    the findings a partner marked shareable (issue 6 item 5)."""
    visit = case.visits.order_by("-planned_at").prefetch_related("slots").first()
    initial = {
        "addresses": "\n".join(str(cl.location) for cl in case.locations.all()),
        "findings": "\n".join(
            f"{finding.organisation} | {one_line(finding.text)}"
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


def prefill(case, template_key: str, initial: dict) -> dict:
    return _controle_initial(case)
