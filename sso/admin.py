"""The beheerder's pages of single sign-on: a provider's name, whether it is
active, and its claim mappings (docs/sso.md).

The connection — issuer, endpoints, client id, slug — is shown but not
editable: the client secret is sent to the token endpoint, so whoever could
change the endpoint could read the secret. The operator sets it with
`manage.py sso_provider`. No mapping grants a role the beheerder could not
give in the user admin (FG, beheerder).
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from permissions.models import Role

from .mapping import MAPPABLE_ROLES
from .models import CONNECTION_FIELDS, ClaimMapping, IdentityProvider

CONNECTION = ["slug", "organisation", *CONNECTION_FIELDS]


class ClaimMappingInline(admin.TabularInline):
    model = ClaimMapping
    extra = 1
    fields = ["claim", "value", "organisation", "role"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = [("", "---------")] + [
                choice for choice in Role.choices if choice[0] in MAPPABLE_ROLES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "slug", "active"]
    list_filter = ["active"]
    fields = ["name", "active", "redirect_uri", "secret_variable", *CONNECTION]
    readonly_fields = ["redirect_uri", "secret_variable", *CONNECTION]
    inlines = [ClaimMappingInline]

    @admin.display(description=_("redirect URI (path)"))
    def redirect_uri(self, obj):
        return reverse("sso_callback", args=[obj.slug])

    @admin.display(description=_("client secret variable"))
    def secret_variable(self, obj):
        return obj.secret_variable

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
