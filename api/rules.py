"""The data class and legal basis of a signal an organisation submits through
the API (docs/api.md "Signals"). Whether the organisation may submit that kind
at all is the decision point's question (`permissions.decision.
supplies_signals`, table `SIGNAL_SUPPLIERS`, the rule names in
`SIGNAL_SUPPLIER_RULES`), the same as for the CSV import; the matrix then
decides whether the client's role writes that class: the kernel's
`signal_register` refuses otherwise."""

from permissions.decision import SIGNAL_SUPPLIER_RULES, supplies_signals
from permissions.models import DataClass, Organisation
from permissions.policy import actor_for

K = Organisation.Kind

# The kernel's `Signal.Source` of each kind the API accepts.
SOURCES = {
    "bestuurlijke_rapportage": "bestuurlijke_rapportage",
    "mma": "mma",
    "riec": "riec",
}
# kind → {organisation kind: (data class, legal basis)}: what a submission of
# a supplier is recorded as.
DEFAULTS = {
    "bestuurlijke_rapportage": {
        K.POLITIE: (DataClass.D3, "Wpg 16 lid 1 b"),
        K.OM: (DataClass.D4, "Wjsg 39f"),
    },
    "mma": {K.POLITIE: (DataClass.D3, "Wpg 19")},
    "riec": {K.RIEC: (DataClass.D10, "Wgs 2.31 lid 1")},
}
# The matrix's refusal, by name (permissions/policy.py).
RULE_MATRIX = "rol × gegevensklasse (permissions/policy.py MATRIX)"


def submission(kind: str, user):
    """(rule, (data class, legal basis) or None when the user's organisation
    may not submit this kind)."""
    source = SOURCES[kind]
    rule = SIGNAL_SUPPLIER_RULES[source]
    if not supplies_signals(user, source):
        return rule, None
    return rule, DEFAULTS[kind].get(actor_for(user).organisation_kind)
