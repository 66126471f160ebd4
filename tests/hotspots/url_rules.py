"""The answers of the hotspots URLs for tests/permissions/url_roles.py: the
figures rule (`permissions.figures`), nothing else. An address page answers
only where the viewer's role has something to see (a score above zero,
`hotspots.selectors.visible_location`)."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from hotspots.models import Rank
from permissions.figures import figure_scope, may_import_registers, may_manage_areas

SOURCE = "permissions.figures (figure_scope, may_import_registers, may_manage_areas)"


def sees_figures(user, s) -> bool:
    return figure_scope(user) is not None


def sees_address(user, s) -> bool:
    scope = figure_scope(user)
    return (
        scope is not None
        and s.obj is not None
        and Rank.objects.filter(
            role=scope.actor.role, facet="", location_id=s.obj.pk
        ).exists()
    )


def imports_registers(user, s) -> bool:
    return may_import_registers(user)


def manages_areas(user, s) -> bool:
    return may_manage_areas(user)


def body_register(s, users) -> dict:
    return {
        "kind": "kadaster",
        "file": SimpleUploadedFile(
            "probe.csv",
            b"postcode;huisnummer;datum_overdracht;koper_soort\r\n"
            b"5912 AB;1;01-01-2025;np\r\n",
        ),
    }


def body_areas(s, users) -> dict:
    return {
        "kind": "areas",
        "file": SimpleUploadedFile(
            "probe.geojson", b'{"type": "FeatureCollection", "features": []}'
        ),
    }


def body_confirm(s, users) -> dict:
    return {"upload": str(uuid.uuid4()), "content_hash": "0" * 64}
