from django.contrib import admin

from .measures import ApvPolicy


@admin.register(ApvPolicy)
class ApvPolicyAdmin(admin.ModelAdmin):
    """The municipality's APV article on the verblijfsontzegging, one version
    per validity period; a measure records the version it applied, so a
    version in use cannot be deleted."""

    list_display = ["name", "article", "version", "max_days", "valid_from", "valid_to"]
