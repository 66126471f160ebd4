"""What the reports app registers with the kernel: the menu entry for the
roles that may request a report, and the nightly pruning of old jobs."""

from django.utils.translation import gettext_lazy as _

from celery.schedules import crontab

from casework import registry
from permissions.figures import STEERING_ROLES

# The menu is a hint; the pages ask the decision point
# (`may_request_report`, `feedback_organisations`) and answer 404.
registry.add_menu(
    registry.MenuEntry(_("Reports"), "reports:request", STEERING_ROLES, order=88)
)
registry.add_periodic_task(
    registry.PeriodicTask(
        "reports-prune-jobs",
        "reports.tasks.prune_jobs",
        # Nightly: jobs older than 30 days, beyond 20 per requester.
        crontab(minute=45, hour=2),
    )
)
