"""Admin for functional administrators: organisations, users and their roles.

Only an active staff user with the functional-administrator role gets into the
admin at all; case content is not registered here (config only, docs/domain.md §6.4).

The beheerder manages accounts but cannot raise anyone's rights (issue 13):

* the user forms carry no is_staff, is_superuser, groups, user_permissions or
  password field, so a crafted POST with them changes nothing;
* the membership form offers no privileged role (FG, beheerder), and the
  choice field refuses one that is posted anyway;
* superusers are not listed; staff users and holders of a privileged role are
  read-only, the beheerder's own membership included;
* nobody's password is set here: the "send password reset" action mails the
  user Django's reset link, and a new account gets a random password no one
  knows; a changed e-mail address is told to the old address.

Granting staff, superuser, FG or beheerder is the operator's command on the
server, which writes an access-log row: `manage.py grant_role` (docs/admin-guide.md).
"""

import secrets

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import PasswordResetForm, UsernameField
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Membership, Organisation, Role
from .policy import actor_for

# Roles only the operator grants (`manage.py grant_role`): the FG reads the
# access log, the beheerder manages accounts.
PRIVILEGED_ROLES = frozenset({Role.FG, Role.BEHEERDER})


def beheerder_only(request) -> bool:
    user = request.user
    return bool(
        user.is_active and user.is_staff and actor_for(user).role == Role.BEHEERDER
    )


admin.site.has_permission = beheerder_only


def is_privileged(user) -> bool:
    """Staff, superuser or a privileged role: the beheerder may not change it."""
    if user.is_superuser or user.is_staff:
        return True
    membership = Membership.objects.filter(user=user).only("role").first()
    return membership is not None and membership.role in PRIVILEGED_ROLES


def may_manage(request, user) -> bool:
    """May the beheerder change this account? Its own (but not its membership,
    see `MembershipInline`) and any unprivileged one."""
    if user.is_superuser:
        return False
    return user.pk == request.user.pk or not is_privileged(user)


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

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = [("", "---------")] + [
                (value, label)
                for value, label in Role.choices
                if value not in PRIVILEGED_ROLES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def _may_edit(self, request, obj) -> bool:
        # obj is the user whose change page this is; None on the add page.
        return obj is None or (obj.pk != request.user.pk and may_manage(request, obj))

    def has_add_permission(self, request, obj=None):
        return self._may_edit(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj) and super().has_change_permission(
            request, obj
        )


User = get_user_model()
admin.site.unregister(User)


class UserCreateForm(forms.ModelForm):
    """A new account without a password anyone knows: the beheerder then sends
    the user a reset link (action "Send password reset")."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(secrets.token_urlsafe(32))
        if commit:
            user.save()
            self.save_m2m()
        return user


class UserChangeForm(forms.ModelForm):
    """The fields a beheerder may change; rights and password are not among them."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active"]
        field_classes = {"username": UsernameField}


class SingleUserPasswordResetForm(PasswordResetForm):
    """Django's reset mail for one chosen account, not for every account that
    shares its address. An account without a usable password gets one too."""

    def __init__(self, user):
        super().__init__(data={"email": user.email})
        self.user = user

    def get_users(self, email):
        if self.user.is_active and self.user.email:
            yield self.user


@admin.register(User)
class CaseworkUserAdmin(UserAdmin):
    form = UserChangeForm
    add_form = UserCreateForm
    add_form_template = None
    fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email")}),
    )
    # Shown, never editable: the operator sets these (manage.py grant_role).
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]
    filter_horizontal = ()
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active", "role"]
    list_filter = ["is_active", "membership__role", "membership__organisation"]
    list_select_related = ["membership", "membership__organisation"]
    actions = ["send_password_reset"]

    @admin.display(description=_("role"))
    def role(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return super().get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_manage(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """A changed address is told to the old one too: a reset link sent to
        a new address is how an account would be taken over."""
        old_email = form.initial.get("email", "") if change else ""
        super().save_model(request, obj, form, change)
        if change and old_email and "email" in form.changed_data:
            send_mail(
                _("Your Casework e-mail address was changed"),
                _(
                    "The e-mail address of your Casework account %(username)s was "
                    "changed to %(email)s by %(beheerder)s. If you did not ask for "
                    "this, tell your functional administrator and your privacy "
                    "officer (FG)."
                )
                % {
                    "username": obj.get_username(),
                    "email": obj.email or "—",
                    "beheerder": request.user.get_username(),
                },
                None,
                [old_email],
            )

    def user_change_password(self, request, id, form_url=""):
        """No beheerder sets a password: another user's is refused, its own
        goes through the admin's change form (which asks for the old one)."""
        if str(request.user.pk) == str(id):
            return redirect("admin:password_change")
        raise PermissionDenied

    @admin.action(
        description=_("Send password reset link"),
        permissions=["change"],
    )
    def send_password_reset(self, request, queryset):
        sent, skipped = 0, []
        for user in queryset:
            form = SingleUserPasswordResetForm(user)
            if (
                not may_manage(request, user)
                or not user.is_active
                or not form.is_valid()
            ):
                skipped.append(user.get_username())
                continue
            form.save(request=request, use_https=request.is_secure())
            self.log_change(request, user, "Sent password reset link.")
            sent += 1
        if sent:
            self.message_user(
                request,
                ngettext(
                    "Sent a password reset link to %(count)d user.",
                    "Sent a password reset link to %(count)d users.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _(
                    "No link sent to %(users)s: inactive, no e-mail address, "
                    "or an account only the operator manages."
                )
                % {"users": ", ".join(skipped)},
                messages.WARNING,
            )
