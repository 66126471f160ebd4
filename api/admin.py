"""The beheerder manages the API clients (docs/api.md "Clients"). A new
client's secret is shown once, on the page after creation; it is stored
hashed and cannot be read back — a lost secret means a new client."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from permissions.models import Role

from .models import SCOPES, ApiClient
from .services import check_client, client_change, client_create


class ApiClientForm(forms.ModelForm):
    role = forms.ChoiceField(
        label=_("role"),
        choices=[
            (r.value, r.label) for r in Role if r not in (Role.FG, Role.BEHEERDER)
        ],
    )
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiClient
        fields = ["name", "organisation", "role", "scopes", "active"]

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation") or getattr(
            self.instance, "organisation", None
        )
        if organisation is not None and data.get("role"):
            check_client(organisation, data["role"], data.get("scopes") or [])
        return data


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ["name", "organisation", "role", "active", "created_at"]
    list_filter = ["active", "organisation"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["name", "organisation", "client_id"]
        return []

    def get_fields(self, request, obj=None):
        if obj is not None:
            return ["name", "organisation", "client_id", "role", "scopes", "active"]
        return ["name", "organisation", "role", "scopes", "active"]

    @admin.display(description=_("client id"))
    def client_id(self, obj):
        return obj.application.client_id

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the access log names the account

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                client_change(
                    obj, role=data["role"], scopes=data["scopes"],
                    active=data["active"],
                )  # fmt: skip
                return
            client, secret = client_create(
                name=data["name"], organisation=data["organisation"],
                role=data["role"], scopes=data["scopes"],
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
            return
        obj.pk = client.pk
        obj._state.adding = False
        messages.warning(
            request,
            _(
                "Client id: %(id)s — secret: %(secret)s. The secret is shown "
                "only now; give it to the partner over a secure channel."
            )
            % {"id": client.application.client_id, "secret": secret},
        )
