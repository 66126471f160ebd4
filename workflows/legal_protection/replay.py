"""The region's steps in `manage.py replay` (docs/replay.md): every
transition of a protection, offered on every case type
(`casework.registry.add_actions`) and taken through
`legal_protection_transition`, as the step page takes it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework.registry import Action
from workflows.legal_protection.forms import ReplayStepForm
from workflows.legal_protection.machine import LegalProtection
from workflows.legal_protection.services import legal_protection_transition

NO_PROTECTION = _("No legal protection of this case can take this step now.")


def transition_names() -> list[str]:
    return sorted(
        name
        for name in dir(LegalProtection)
        if hasattr(getattr(LegalProtection, name, None), "_django_fsm")
    )


def _protection(case, name: str, title: str) -> LegalProtection:
    """The protection the step names, or the newest that can take it."""
    rows = LegalProtection.objects.filter(case=case).order_by("-opened_at", "-id")
    if title:
        found = rows.filter(decision_title__iexact=title.strip()).first()
        if found is None:
            raise ValidationError(NO_PROTECTION)
        return found
    for protection in rows:
        method = getattr(protection, name)
        if method._django_fsm.get_transition(protection.status) is not None:
            return protection
    raise ValidationError(NO_PROTECTION)


def _runner(name: str):
    def run(case, user, data: dict) -> LegalProtection:
        return legal_protection_transition(
            protection=_protection(case, name, data.get("decision_title", "")),
            name=name,
            user=user,
            note=data.get("note", ""),
            outcome=data.get("outcome", ""),
            on=data.get("on"),
            advisory_committee=bool(data.get("advisory_committee")),
        )

    return run


def actions() -> dict[str, Action]:
    return {
        name: Action(ReplayStepForm, _runner(name), name) for name in transition_names()
    }
