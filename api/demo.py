"""The demo's API clients (docs/api.md "Demo"): one per partner
organisation, registered with the kernel's demo (`registry.add_demo`). The
secrets are `DEMO_API_SECRET` when it is set (one for all, for scripts
against a fresh demo), else drawn at random; either way they are printed
once here and stored only hashed."""

import os

from permissions.models import Role

from .services import client_create

ALL_SCOPES = [
    "signals:write", "signals:read", "cases:read", "tasks:read", "tasks:write",
    "deadlines:read", "documents:read",
]  # fmt: skip
# client name, organisation, role
CLIENTS = [
    ("politie-bvh", "Politie Eenheid Limburg", Role.PARTNER),
    ("om-koppeling", "Openbaar Ministerie Limburg", Role.PARTNER),
    ("belastingdienst-koppeling", "Belastingdienst Zuid", Role.PARTNER),
    ("riec-koppeling", "RIEC Limburg", Role.CASUSREGISSEUR),
]


def seed(demo) -> None:
    # The beheerder manages the clients in the admin.
    demo.grant("beheerder", ["view_apiclient", "add_apiclient", "change_apiclient"])
    secret = os.environ.get("DEMO_API_SECRET", "")
    print("API clients (client id, secret; shown once, stored hashed):")
    for name, organisation, role in CLIENTS:
        client, shown = client_create(
            name=name, organisation=demo.orgs[organisation], role=role,
            scopes=ALL_SCOPES, secret=secret,
        )  # fmt: skip
        print(f"  {name:28} {client.application.client_id}  {shown}")
