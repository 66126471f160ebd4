from django.contrib import admin

from .models import PgaPolicy, TopXCriterion


@admin.register(PgaPolicy)
class PgaPolicyAdmin(admin.ModelAdmin):
    """Review cycle and after-care defaults of the persoonsgerichte aanpak
    (docs/domain.md §5.4: practice, not law); the row valid on a date applies."""

    list_display = ["valid_from", "review_weeks", "aftercare_months", "note"]


@admin.register(TopXCriterion)
class TopXCriterionAdmin(admin.ModelAdmin):
    """The objective, public criteria of the Top X list (WGS art. 2.32 lid 1).
    A criterion is withdrawn, not deleted: placements refer to it."""

    list_display = ["code", "text", "published_on", "withdrawn_on"]

    def has_delete_permission(self, request, obj=None):
        return False
