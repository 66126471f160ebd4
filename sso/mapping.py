"""From a provider's claims to an organisation and a role (docs/sso.md).

The beheerder's mapping rows are the only source: a subject whose claims
match none gets no membership, and one whose claims match two different
memberships gets none either, rather than a guess.
"""

from dataclasses import dataclass

from permissions.admin import PRIVILEGED_ROLES
from permissions.models import Role

# The FG and beheerder roles are the operator's (`manage.py grant_role`): no
# provider grants them, as the beheerder cannot in the user admin.
MAPPABLE_ROLES = frozenset(Role.values) - PRIVILEGED_ROLES


@dataclass(frozen=True)
class Grant:
    organisation_id: int
    role: str


def may_grant(provider, organisation, role: str) -> bool:
    """A provider vouches only for people of its own kind of organisation: the
    police's provider may sign in the officers of any police unit, never a
    municipal lawyer. The privileged roles are nobody's to map."""
    return role in MAPPABLE_ROLES and organisation.kind == provider.organisation.kind


def claim_values(claims: dict, name: str) -> set[str]:
    """A claim's values as strings: one for a string or number, each item
    of a list."""
    value = claims.get(name)
    if value is None or isinstance(value, dict):
        return set()
    if isinstance(value, list | tuple):
        return {str(item) for item in value if not isinstance(item, dict | list)}
    return {str(value)}


def resolve(provider, claims: dict) -> set[Grant]:
    """Every membership the provider's mappings give these claims; exactly one
    is a sign-in."""
    grants = set()
    for mapping in provider.mappings.select_related("organisation"):
        if may_grant(
            provider, mapping.organisation, mapping.role
        ) and mapping.value in claim_values(claims, mapping.claim):
            grants.add(Grant(mapping.organisation_id, mapping.role))
    return grants
