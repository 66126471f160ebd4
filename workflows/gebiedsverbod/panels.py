"""The gebiedsverbod panel on the full case page (after the kernel decided
the user may see the case). The case page's one query says which of the
package's sections have rows (`case.sections`); empty ones are not read."""

from permissions.policy import WRITE
from permissions.services import user_can

from .machine import CODE, blocked_transitions, measure_of
from .selectors import violations_for_user


def panel_context(case, user) -> dict:
    if case.case_type != CODE:
        return {}
    has = getattr(case, "sections", None) or {}
    measure = measure_of(case) if has.get("has_gebiedsverbod_measure", True) else None
    return {
        "gebiedsverbod": {
            "measure": measure,
            "extensions": list(measure.extensions.all()) if measure else [],
            "incidents": list(case.gebiedsverbod_incidents.all())
            if has.get("has_gebiedsverbod_incidents", True)
            else [],
            "violations": violations_for_user(user, case)
            if has.get("has_gebiedsverbod_violations", True)
            else [],
            "blocked": blocked_transitions(case) if case.closed_at is None else [],
            "may_record_incident": user_can(user, WRITE, case)
            and case.closed_at is None,
        }
    }
