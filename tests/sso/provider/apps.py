from django.apps import AppConfig


class ProviderConfig(AppConfig):
    name = "tests.sso.provider"
    label = "provider"
    default_auto_field = "django.db.models.BigAutoField"
