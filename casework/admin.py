from django.contrib import admin

from .models import EquatedHoliday


@admin.register(EquatedHoliday)
class EquatedHolidayAdmin(admin.ModelAdmin):
    """Days equated to holidays by Royal Decree (Atw art 3 lid 3), entered from
    the Staatscourant; they change every computed term that crosses them."""

    list_display = ["day", "name", "source"]
    search_fields = ["name", "source"]
