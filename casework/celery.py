"""Celery app for deployments with a broker (CELERY_BROKER_URL).

Every job is a plain service function that also runs from a management
command, so the embedded default needs no broker.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every installed app's tasks.py (the case-type packages among them).
app.autodiscover_tasks()
app.conf.beat_schedule = {
    "deadlines-sweep": {
        "task": "casework.tasks.deadlines_sweep",
        # Early every working morning, and once more at noon.
        "schedule": crontab(minute=15, hour="6,12"),
    },
    "access-log-verify": {
        "task": "permissions.tasks.verify_access_log",
        # Nightly: the whole chain against its checkpoints (docs/access.md).
        "schedule": crontab(minute=30, hour=2),
    },
}


@app.on_after_finalize.connect
def add_registered_tasks(sender, **kwargs) -> None:
    """The periodic tasks the case types registered (casework.registry)."""
    from casework.registry import registry

    for task in registry.periodic:
        sender.conf.beat_schedule.setdefault(
            task.name, {"task": task.task, "schedule": task.schedule}
        )
