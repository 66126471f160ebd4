from django.contrib import admin

from .handhavingsmatrix import Beleidsregel, MatrixRule
from .ledger import Charge, CollectionAct, Refund


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


class _LedgerAdmin(admin.ModelAdmin):
    """Ledger entries are booked through the case's steps (workflows/lod/
    ledger.py), never here: the administrator reads them only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Charge)
class ChargeAdmin(_LedgerAdmin):
    list_display = ["case", "kind", "charged_on", "amount", "source"]


@admin.register(Refund)
class RefundAdmin(_LedgerAdmin):
    list_display = ["case", "refunded_on", "amount"]


@admin.register(CollectionAct)
class CollectionActAdmin(_LedgerAdmin):
    list_display = ["case", "kind", "on"]
