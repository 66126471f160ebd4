"""The beheerder's pages: the organisations' webhooks (the secret shown once),
and the delivery log, read-only (docs/notifications.md "Delivery log")."""

import secrets

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import delivery
from .forms import WebhookForm
from .models import Delivery, Message, Webhook

SECRET_PAGE = "notifications/admin_secret.html"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _secret_page(request, shown: list[tuple[Webhook, str]]):
    return TemplateResponse(
        request,
        SECRET_PAGE,
        {
            **admin.site.each_context(request),
            "title": _("Webhook secret"),
            "shown": shown,
        },
    )


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["name", "organisation", "url", "active", "secret_source"]
    list_filter = ["active", "organisation"]
    search_fields = ["name", "url", "organisation__name"]
    readonly_fields = ["secret_source", "retry_schedule"]
    actions = ["rotate_secret"]

    @admin.display(description=_("secret"))
    def secret_source(self, obj) -> str:
        if obj is None or obj.pk is None:
            return _("generated when saved and shown once")
        if obj.secret_env:
            return _("from the environment variable %(name)s") % {
                "name": obj.secret_env
            }
        return _("stored (shown once, when it was made)")

    @admin.display(description=_("retries after (seconds)"))
    def retry_schedule(self, obj) -> str:
        return ", ".join(f"{wait:g}" for wait in delivery.schedule())

    def save_model(self, request, obj, form, change):
        if obj.secret_env:
            obj.secret = ""
        elif not obj.secret:
            obj.secret = new_secret()
            request._webhook_secret_shown = [(obj, obj.secret)]
        super().save_model(request, obj, form, change)

    def _shown(self, request):
        return getattr(request, "_webhook_secret_shown", None)

    def response_add(self, request, obj, post_url_continue=None):
        shown = self._shown(request)
        if shown:
            return _secret_page(request, shown)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        shown = self._shown(request)
        if shown:
            return _secret_page(request, shown)
        return super().response_change(request, obj)

    @admin.action(description=_("Make a new secret (shown once)"))
    def rotate_secret(self, request, queryset):
        shown = []
        for hook in queryset.filter(secret_env=""):
            hook.secret = new_secret()
            hook.save(update_fields=["secret"])
            shown.append((hook, hook.secret))
        return _secret_page(request, shown)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryInline(ReadOnly, admin.TabularInline):
    model = Delivery
    extra = 0
    fields = [
        "attempt", "at", "outcome", "status_code", "error", "duration_ms",
        "next_retry_at",
    ]  # fmt: skip
    readonly_fields = fields
    ordering = ["attempt"]


@admin.register(Message)
class MessageAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "created_at", "webhook", "event", "reference", "state", "attempts",
        "next_attempt_at", "delivered_at",
    ]  # fmt: skip
    list_filter = ["state", "event", "webhook__organisation"]
    search_fields = ["reference", "=id"]
    readonly_fields = [
        "id", "event_id", "webhook", "event", "reference", "state", "attempts",
        "next_attempt_at", "created_at", "delivered_at", "body",
    ]  # fmt: skip
    fields = readonly_fields
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "at", "message", "attempt", "outcome", "status_code", "duration_ms",
        "next_retry_at", "error",
    ]  # fmt: skip
    list_filter = ["outcome", "message__webhook__organisation"]
    search_fields = ["message__reference", "=message__id"]
    readonly_fields = [
        "message", "attempt", "at", "outcome", "status_code", "error",
        "duration_ms", "next_retry_at",
    ]  # fmt: skip
    fields = readonly_fields
