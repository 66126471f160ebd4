"""Admin for functional administrators: organisations, users and their roles.

Only an active staff user with the functional-administrator role gets into the
admin at all; case content is not registered here (config only, docs/domain.md §6.4).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organisation, Role
from .policy import actor_for


def beheerder_only(request) -> bool:
    user = request.user
    return bool(
        user.is_active and user.is_staff and actor_for(user).role == Role.BEHEERDER
    )


admin.site.has_permission = beheerder_only


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    extra = 0
    max_num = 1


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class CaseworkUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active", "role"]
    list_select_related = ["membership", "membership__organisation"]

    @admin.display(description=_("role"))
    def role(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "—"
