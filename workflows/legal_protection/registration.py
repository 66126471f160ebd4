"""What the legal-protection region adds to the kernel: its pages under every
case, the panel on the case page and the section the panel reads."""

from django.utils.translation import gettext_lazy as _

from casework import registry

from . import letters, replay, urls
from .selectors import legal_protections_for_case, may_read_legal_protection
from .services import MAY_OPEN


def panel_context(case, user) -> dict:
    """Bezwaar and beroep against the case's besluiten: read by the roles that
    may (None hides the panel), opened by the case owner's roles."""
    has = getattr(case, "sections", None) or {}
    protections = None
    if may_read_legal_protection(user, case):
        protections = (
            legal_protections_for_case(
                case, has_deadlines=has.get("has_deadlines", True)
            )
            if has.get("has_protections", True)
            else []
        )
    return {
        "legal_protections": protections,
        "can_open_legal_protection": MAY_OPEN(case, user),
    }


registry.add_case_urls(urls.case_urlpatterns)
registry.add_sections(
    registry.Section(
        "has_protections",
        "legal_protection.LegalProtection",
        data_class="D2",
        label=_("Objection and appeal"),
    )
)
registry.add_panel(
    registry.Panel("legal_protection/_panel.html", panel_context, order=60)
)
# The beslissing op bezwaar, on every case type, at R30 and after
# (workflows/legal_protection/letters.py).
registry.add_letters(
    registry.Letter(
        letters.BESLISSING_OP_BEZWAAR,
        case_types=(),
        roles=letters.ROLES,
        offered_when=letters.offered,
        competence=letters.competent_body,
        recorded=letters.recorded,
    )
)
# The bezwaar and beroep steps in `manage.py replay`, on every case type.
registry.add_actions(replay.actions())
