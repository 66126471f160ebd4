from django.contrib import admin

from .handhavingsmatrix import Beleidsregel, MatrixRule


class MatrixRuleInline(admin.TabularInline):
    model = MatrixRule
    extra = 0


@admin.register(Beleidsregel)
class BeleidsregelAdmin(admin.ModelAdmin):
    """The municipality's handhavingsmatrix (art. 13b Opiumwet), one version
    per validity period; a decision records the version it applied, so a
    version in use cannot be deleted."""

    list_display = ["name", "version", "valid_from", "valid_to"]
    inlines = [MatrixRuleInline]
