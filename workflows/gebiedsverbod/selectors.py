"""Reads of the gebiedsverbod package, decided by the access policy."""

from __future__ import annotations

from permissions.models import DataClass
from permissions.policy import READ, actor_for, item_shareable_with, role_permits
from permissions.services import log_sensitive_read, user_can

from .machine import measure_of
from .measures import ViolationReport


def may_read_violation(user, case, report: ViolationReport) -> bool:
    """A violation report (D3) is read by the municipality's roles that read
    police data on the case (jurist, burgemeester), and by a partner only when
    its organisation supplied it or it was shared with it (the OM, to which the
    proces-verbaal went): §6.4 rule 1 with the own-item rule."""
    if not user_can(user, READ, case):
        return False
    actor = actor_for(user)
    if role_permits(actor.role, READ, DataClass.D3):
        return True
    shared = [org.pk for org in report.shared_with.all()]
    own = item_shareable_with(
        source_organisation_id=report.organisation_id,
        shared_with_ids=shared,
        organisation_id=actor.organisation_id,
    )
    return own and role_permits(actor.role, READ, DataClass.D3, own_item=True)


def violations_for_user(user, case, *, request=None) -> list[ViolationReport]:
    """The violation reports this user may read on the case; each read is
    logged (§6.4 rule 3)."""
    reports = [
        report
        for report in ViolationReport.objects.filter(case=case)
        .select_related("organisation")
        .prefetch_related("shared_with")
        if may_read_violation(user, case, report)
    ]
    for report in reports:
        log_sensitive_read(
            user=user,
            obj=report,
            data_class=DataClass.D3,
            case=case,
            request=request,
        )
    return reports


def measure_outcome(case) -> dict | None:
    """What partners may read of the order (docs/domain.md §10.6 "outcome only"):
    kind, area and map, period, conditions, extensions and status. Not the
    weighing, the views or the incidents."""
    measure = measure_of(case)
    if measure is None:
        return None
    return {
        "kinds": measure.kinds_label(),
        "basis": measure.get_basis_display(),
        "area": measure.area_description,
        "map": (measure.map_id, measure.map_version, measure.map_hash),
        "reporting_times": measure.reporting_times,
        "conditions": measure.conditions,
        "start": measure.start_date,
        "end": measure.end_date,
        "made_known_on": measure.made_known_on,
        "withdrawn_on": measure.withdrawn_on,
        "extensions": [
            (e.number, e.new_end_date, e.made_known_on)
            for e in measure.extensions.all()
        ],
    }
