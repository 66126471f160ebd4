"""The operator's command that removes an account's second factor (a lost
phone), so that the account enrols a new one at its next login:

    python manage.py reset_second_factor peter

Run on the server; the beheerder cannot do this in the admin
(docs/security.md). Every reset is one access-log row (action "delete",
object "second-factor"), which the FG reads at /audit/.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from django_otp.plugins.otp_totp.models import TOTPDevice

from permissions.models import AccessLog, DataClass
from permissions.services import log_access

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Remove a user's TOTP devices; the user enrols again at the next login."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **opts):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(
                f"No user {username!r}.", returncode=USAGE_ERROR
            ) from None
        with transaction.atomic():
            removed, _ = TOTPDevice.objects.filter(user=user).delete()
            if not removed:
                self.stdout.write(f"{username}: no second factor enrolled.")
                return
            entry = log_access(
                user=None,
                action=AccessLog.Action.DELETE,
                object_type="second-factor",
                object_id=user.pk,
                data_class=DataClass.D0,
                purpose_code="reset_second_factor",
                recipient=username,
            )
        self.stdout.write(
            f"{username}: {removed} device(s) removed; enrols again at the next "
            f"login. Access log entry {entry.pk}."
        )
