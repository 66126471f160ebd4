"""URL path converters: the shape of a parameter before any view sees it."""

from django.urls import register_converter


class ReferenceConverter:
    """A case or signal reference ("2026-LOD-0042", "2026-SIG-0007"): letters,
    digits and hyphens, as long as the column. Anything else (a NUL byte,
    which PostgreSQL refuses in a query, a slash, a space) matches no URL: 404.
    """

    regex = "[0-9A-Za-z][0-9A-Za-z-]{0,29}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "ref")
