from django.apps import AppConfig


class LookupsConfig(AppConfig):
    """Addresses from the BAG, companies from the KvK register and persons
    from the BRP (docs/lookups.md)."""

    name = "lookups"
    verbose_name = "Lookups"
