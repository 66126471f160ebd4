"""The BRP consultation as a logged read (docs/lookups.md, "Logging").

Every request that leaves for the BRP writes one access-log row — action
`consult-external`, object type `brp_person`, class D1, the case, the
user's purpose and the BRP authorisation (`x-doelbinding`) as legal basis —
whether the person was found, not found or the BRP failed. The row never
holds the BSN: its object id says only what came back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from permissions.models import AccessLog, DataClass
from permissions.policy import actor_for
from permissions.services import log_access

from . import clients

OBJECT_TYPE = "brp_person"
FOUND, NOT_FOUND, FAILED = "gevonden", "niet gevonden", "mislukt"


def consult_person(*, user, case, bsn: str, purpose: str, request=None):
    """The person with this BSN from the BRP, or None; raises
    `clients.LookupUnavailable` (after logging) when the BRP fails. The
    caller has asked the decision point (`LOOKUP_PERSON` on the case)."""
    clients.service(clients.BRP)  # not configured: nothing sent, nothing logged
    outcome = FAILED
    try:
        person = clients.brp_person(
            bsn, purpose=purpose, username=actor_for(user).username
        )
        outcome = FOUND if person is not None else NOT_FOUND
        return person
    finally:
        with transaction.atomic():
            log_access(
                user=user,
                action=AccessLog.Action.CONSULT,
                object_type=OBJECT_TYPE,
                object_id=outcome,
                data_class=DataClass.D1,
                case=case,
                purpose_code=purpose,
                legal_basis_code=settings.LOOKUP_BRP_DOELBINDING[:100],
                recipient="BRP",
                request=request,
            )


def store_coordinates(*, case, address) -> int:
    """The BAG point (RD) of a looked-up address on the case's own locations
    of that address that have none yet, for the hotspot map
    (docs/hotspots.md); a point outside the RD bounds is not stored."""
    from django.core.exceptions import ValidationError
    from django.db.models import Q

    from casework.models import Location

    if address.x is None or address.y is None:
        return 0
    try:
        Location._meta.get_field("x").run_validators(address.x)
        Location._meta.get_field("y").run_validators(address.y)
    except ValidationError:
        return 0
    match = Q(
        postcode=address.postcode,
        house_number=address.house_number,
        addition=address.addition.upper(),
    )
    if address.object_id:
        match |= Q(bag_id=address.object_id)
    return Location.objects.filter(match, cases__case=case, x__isnull=True).update(
        x=address.x, y=address.y
    )
