"""Case type → proxy model, initial status and labels."""

from casework.models import Case, CaseType

from .models import BibobCase, ControleCase, LodCase, PgaCase

PROXIES: dict[str, type[Case]] = {
    CaseType.LOD: LodCase,
    CaseType.BIBOB: BibobCase,
    CaseType.CONTROLE: ControleCase,
    CaseType.PGA: PgaCase,
}

# The data class a new case of each type gets: a Bibob dossier is behind the
# art 28 secrecy wall (D5); a PGA case is a ZVH case product (D10).
DEFAULT_DATA_CLASS = {
    CaseType.LOD: "D0",
    CaseType.BIBOB: "D5",
    CaseType.CONTROLE: "D0",
    CaseType.PGA: "D10",
}


def proxy_for(case: Case) -> Case:
    """The same row as an instance of its case type's proxy (for transitions)."""
    cls = PROXIES[case.case_type]
    if type(case) is not cls:
        case.__class__ = cls
    return case


def initial_status(case_type: str) -> str:
    return PROXIES[case_type].INITIAL


def status_choices(case_type: str):
    return PROXIES[case_type].Status.choices


def all_status_choices():
    seen = []
    for cls in PROXIES.values():
        seen.extend(cls.Status.choices)
    return seen


def status_label(case_type: str, status: str) -> str:
    try:
        return str(PROXIES[case_type].Status(status).label)
    except (KeyError, ValueError):
        return status


def available_transitions(case: Case, user):
    """Transitions the user may run now, as (name, label) pairs, in the order
    they are declared in the case type's table (not alphabetically)."""
    proxy = proxy_for(case)
    available = sorted(
        proxy.get_available_user_status_transitions(user),
        key=lambda t: t.method.__code__.co_firstlineno,
    )
    return [(t.name, t.custom.get("label", t.name)) for t in available]
