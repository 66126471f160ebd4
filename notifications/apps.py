from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Outgoing notifications: signed webhooks per organisation and e-mail to
    users who ask for it (docs/notifications.md)."""

    name = "notifications"
    verbose_name = "Notifications"
