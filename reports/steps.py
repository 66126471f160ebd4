"""The steps a report build goes through, with the Dutch label the status
page shows (the job stores the key)."""

from django.utils.translation import gettext_lazy as _

STEPS = {
    "queued": _("Waiting for a free worker"),
    "cover": _("Cover page"),
    "indicators": _("Indicators"),
    "charts": _("Charts"),
    "hotspots": _("Hotspots"),
    "projects": _("Projects and goals"),
    "milestones": _("Milestones"),
    "budget": _("Budget"),
    "decisions": _("Decisions needed"),
    "feedback": _("Feedback per recipient"),
    "render": _("Composing the PDF"),
    "done": _("Ready"),
}


def label(key: str) -> str:
    return str(STEPS.get(key, key))
