"""The demo has no identity provider; its beheerder gets the admin pages an
organisation's beheerder would have (docs/sso.md "The beheerder")."""

BEHEERDER_PERMISSIONS = [
    "view_identityprovider",
    "change_identityprovider",
    "view_claimmapping",
    "add_claimmapping",
    "change_claimmapping",
    "delete_claimmapping",
]


def seed(demo) -> None:
    demo.grant("beheerder", BEHEERDER_PERMISSIONS)
