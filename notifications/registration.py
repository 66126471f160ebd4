"""What the notifications register with the kernel's registry: the beat entry
that queues overdue webhook messages again, and the demo's webhook."""

from celery.schedules import crontab

from casework import registry

registry.add_periodic_task(
    registry.PeriodicTask(
        "notifications-retry-due",
        "notifications.tasks.retry_due",
        # Every five minutes: only messages whose own retry task was lost.
        crontab(minute="*/5"),
    )
)
registry.add_demo("notifications.demo.seed", order=95)
