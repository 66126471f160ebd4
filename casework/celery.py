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
app.autodiscover_tasks(["casework", "workflows"])
app.conf.beat_schedule = {
    "deadlines-sweep": {
        "task": "casework.tasks.deadlines_sweep",
        # Early every working morning, and once more at noon.
        "schedule": crontab(minute=15, hour="6,12"),
    },
    "pga-retention-sweep": {
        "task": "workflows.tasks.pga_retention_sweep",
        # Once a night: WGS 1.8 lid 7 counts in days.
        "schedule": crontab(minute=30, hour=2),
    },
}
