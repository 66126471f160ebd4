from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Outgoing notifications: signed webhooks per organisation and e-mail to
    users who ask for it (docs/notifications.md)."""

    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # The kernel knows nothing of this app: it connects to the kernel's
        # models' Django signals here, and registers its beat entry and demo.
        from . import receivers, registration  # noqa: F401

        receivers.connect()
