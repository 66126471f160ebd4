from django.contrib import admin

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import EquatedHoliday

# A second factor is not the beheerder's to remove or replace: only the
# operator's `manage.py reset_second_factor` does, with an access-log row
# (docs/security.md). django-otp registers its device admin; it goes.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(EquatedHoliday)
class EquatedHolidayAdmin(admin.ModelAdmin):
    """Days equated to holidays by Royal Decree (Atw art 3 lid 3), entered from
    the Staatscourant; they change every computed term that crosses them."""

    list_display = ["day", "name", "source"]
    search_fields = ["name", "source"]
