"""E-mail to the users who asked for it (`EmailPreference`, the page at
/notifications/): a new open task for their role, and a deadline of theirs
coming due.

Who gets one is the decision point's answer per user: a new task goes to the
team members who may hold the case's open step (`decide(HOLD)`: on the team
above contributor, reading the case file, the step's role); a reminder to the
deadline's owner while it may read the case's deadlines. The text names the
case's reference, the kind of event and a link, and nothing of the case's
content: no title, party, address or summary, whatever the case's data class
(docs/notifications.md "What is never sent").
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from casework.flows import flow_for
from permissions.decision import HOLD, READ, decide
from permissions.models import CaseAccess
from permissions.services import prime_case_grants

from . import events
from .models import EmailPreference


def site_url() -> str:
    """The address links in e-mail start with (NOTIFICATIONS_SITE_URL; else
    the first allowed host, over https outside DEBUG)."""
    url = settings.NOTIFICATIONS_SITE_URL
    if url:
        return url.rstrip("/")
    host = (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".")
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{host}"


def _step_label(case, step: str) -> str:
    flow_class = flow_for(case)
    phase = next((p for p in getattr(flow_class, "phases", ()) if p.name == step), None)
    return str(phase.label) if phase is not None else step


def task_recipients(event: events.Event, case) -> list:
    """The users who asked for new tasks and may hold this one."""
    rows = (
        CaseAccess.objects.filter(
            case_id=case.pk,
            user__is_active=True,
            user__notification_preference__new_tasks=True,
        )
        .exclude(user__email="")
        .select_related("user")
    )
    roles = frozenset({event.role})
    found = []
    for access in rows:
        prime_case_grants(access.user, case, access.team_role)
        if decide(access.user, HOLD, case, step_roles=roles):
            found.append(access.user)
    return found


def deadline_recipients(event: events.Event, case) -> list:
    """The deadline's owner, if it asked for reminders and still reads the
    case's deadlines."""
    wants = EmailPreference.objects.filter(
        user_id=event.user_id, deadlines_due=True, user__is_active=True
    ).exclude(user__email="")
    if not wants.exists():
        return []
    user = get_user_model().objects.get(pk=event.user_id)
    return [user] if decide(user, READ, "deadline", case=case) else []


def notify(event: events.Event, target) -> int:
    """Queue the event's e-mails; returns how many."""
    from .tasks import send_mail

    if event.type == events.TASK_CREATED:
        recipients = task_recipients(event, target)
        template = "notifications/email_task.txt"
    elif event.type == events.DEADLINE_DUE:
        recipients = deadline_recipients(event, target)
        template = "notifications/email_deadline.txt"
    else:
        return 0
    if not recipients:
        return 0
    base = site_url()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "reference": event.reference,
            "case_type": target.case_type_label,
            "step": _step_label(target, event.step),
            "due_on": parse_date(event.due_on) if event.due_on else None,
            "link": base + target.get_absolute_url(),
            "preferences": base + reverse("notifications:preferences"),
        }
        if event.type == events.TASK_CREATED:
            subject = _("New task: %(reference)s") % context
        else:
            subject = _("Deadline coming due: %(reference)s") % context
        body = render_to_string(template, context)
    subject = f"[Casework] {subject}"
    for user in recipients:
        send_mail.delay(user.email, subject, body)
    return len(recipients)
