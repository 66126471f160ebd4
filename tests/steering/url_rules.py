"""The answers of the steering URLs for tests/permissions/url_roles.py: the
figures rule (`permissions.figures.figure_scope`), nothing else."""

from permissions.figures import figure_scope

SOURCE = "permissions.figures.figure_scope"


def sees_figures(user, s) -> bool:
    """A steering viewer: the page shows what its scope counts."""
    return figure_scope(user) is not None
