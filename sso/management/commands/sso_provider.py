"""The operator's command for an identity provider's connection (docs/sso.md):

    python manage.py sso_provider gemeente-venlo --organisation "Gemeente Venlo" \\
        --name "Gemeente Venlo" --issuer https://login.venlo.nl/realms/medewerkers \\
        --client-id casework

Creates the provider or changes the given fields; endpoints left out are read
from the issuer's discovery document. The client secret is not an argument:
it is the environment variable the command prints. Bad input exits with
status 2 and changes nothing.
"""

import argparse

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from permissions.models import Organisation

from ...models import CONNECTION_FIELDS, IdentityProvider

USAGE_ERROR = 2
FIELDS = ("name", *CONNECTION_FIELDS)


class Command(BaseCommand):
    help = "Create an identity provider or change its connection."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--organisation", help="Organisation name.")
        for field in FIELDS:
            parser.add_argument("--" + field.replace("_", "-"))
        parser.add_argument(
            "--active", action=argparse.BooleanOptionalAction, default=None
        )

    def handle(self, *args, slug, organisation, active, **options):
        provider = IdentityProvider.objects.filter(slug=slug).first()
        provider = provider or IdentityProvider(slug=slug)
        for field in FIELDS:
            if options[field] is not None:
                setattr(provider, field, options[field])
        if active is not None:
            provider.active = active
        if organisation is not None:
            found = Organisation.objects.filter(name=organisation).first()
            if found is None:
                raise CommandError(
                    f"No organisation {organisation!r}", returncode=USAGE_ERROR
                )
            provider.organisation = found
        try:
            provider.full_clean()
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()),
                returncode=USAGE_ERROR,
            ) from exc
        created = provider.pk is None
        provider.save()
        self.stdout.write(
            f"{'Created' if created else 'Changed'} {provider.slug} "
            f"({provider.organisation}); client secret from "
            f"{provider.secret_variable}"
        )
