"""The demo's notifications: one webhook of the police, switched off (the
demo has no receiver), and the beheerder's rights to manage webhooks and read
the delivery log."""

from .models import Webhook

ADMIN = [
    "add_webhook", "change_webhook", "delete_webhook", "view_webhook",
    "view_message", "view_delivery",
]  # fmt: skip


def seed(demo) -> None:
    demo.grant("beheerder", ADMIN)
    Webhook.objects.create(
        organisation=demo.orgs["Politie Eenheid Limburg"],
        name="Bedrijfsprocessensysteem (voorbeeld)",
        url="https://webhooks.politie.example/casework",
        secret_env="CASEWORK_DEMO_WEBHOOK_SECRET",
        events=["case.status_changed", "signal.status_changed"],
        active=False,
    )
