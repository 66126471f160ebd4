"""The operator's command for the rights the admin does not give (issue 13):
a user's role (FG and beheerder included), staff and superuser status.

    python manage.py grant_role fenna fg
    python manage.py grant_role ben beheerder --staff
    python manage.py grant_role nieuw jurist --organisation "Gemeente Venlo"
    python manage.py grant_role ben --no-staff

Run on the server; every change is one access-log row (action "update",
object "user-rights"), which the FG reads at /audit/. Bad input exits with
status 2 and changes nothing.
"""

import argparse

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from permissions.models import AccessLog, DataClass, Membership, Organisation, Role
from permissions.services import log_access, membership_refusal

USAGE_ERROR = 2


def refuse(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


class Command(BaseCommand):
    help = (
        "Give a user a role (any role, FG and beheerder included) and set or "
        "clear staff/superuser status. Writes an access-log row."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "role",
            nargs="?",
            help="One of: " + ", ".join(Role.values) + ". Omit to keep the role.",
        )
        parser.add_argument(
            "--organisation",
            help="Organisation name; needed when the user has no membership yet.",
        )
        parser.add_argument(
            "--staff",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Set (--staff) or clear (--no-staff) staff status; the "
            "beheerder needs it to open /admin/.",
        )
        parser.add_argument(
            "--superuser",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Set or clear superuser status.",
        )

    def handle(self, *args, username, role, organisation, staff, superuser, **opts):
        if (
            role is None
            and organisation is None
            and staff is None
            and superuser is None
        ):
            raise refuse(
                "Nothing to grant: give a role, --organisation, --staff or --superuser."
            )
        if role is not None and role not in Role.values:
            raise refuse(f"Unknown role {role!r}. Roles: {', '.join(Role.values)}.")
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise refuse(f"No user {username!r}.") from None
        org = None
        if organisation is not None:
            try:
                org = Organisation.objects.get(name=organisation)
            except Organisation.DoesNotExist:
                raise refuse(f"No organisation {organisation!r}.") from None
        membership = (
            Membership.objects.filter(user=user).select_related("organisation").first()
        )
        if membership is None and (role is None or org is None):
            raise refuse(
                f"{username} has no membership yet: "
                "give both a role and --organisation."
            )

        if org is not None and (
            membership is None or membership.organisation_id != org.pk
        ):
            refusal = membership_refusal(user, org)
            if refusal is not None:
                raise refuse(refusal)

        changes = []
        with transaction.atomic():
            if membership is None:
                membership = Membership.objects.create(
                    user=user, organisation=org, role=role
                )
                changes.append(f"membership {org.name}, role {role}")
            else:
                fields = []
                if org is not None and membership.organisation_id != org.pk:
                    changes.append(
                        f"organisation {membership.organisation.name} → {org.name}"
                    )
                    membership.organisation = org
                    fields.append("organisation")
                if role is not None and membership.role != role:
                    changes.append(f"role {membership.role} → {role}")
                    membership.role = role
                    fields.append("role")
                if fields:
                    membership.save(update_fields=fields)
            flags = []
            for field, wanted in (("is_staff", staff), ("is_superuser", superuser)):
                if wanted is not None and getattr(user, field) != wanted:
                    name = field.removeprefix("is_")
                    changes.append(f"{name} {yes_no(not wanted)} → {yes_no(wanted)}")
                    setattr(user, field, wanted)
                    flags.append(field)
            if flags:
                user.save(update_fields=flags)
            if not changes:
                self.stdout.write(f"{username}: nothing changed.")
                return
            summary = "; ".join(changes)
            entry = log_access(
                user=None,
                action=AccessLog.Action.UPDATE,
                object_type="user-rights",
                object_id=user.pk,
                data_class=DataClass.D0,
                purpose_code="grant_role",
                legal_basis_code=summary[:100],
                recipient=username,
            )
        self.stdout.write(f"{username}: {summary}. Access log entry {entry.pk}.")
        if membership.role == Role.BEHEERDER and not user.is_staff:
            self.stdout.write(
                f"Note: {username} is not staff and cannot open /admin/ (add --staff)."
            )
        if membership.role != Role.BEHEERDER and user.is_staff:
            self.stdout.write(
                f"Note: {username} is staff without the beheerder role; "
                "clear it with --no-staff."
            )
