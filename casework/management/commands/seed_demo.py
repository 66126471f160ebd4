"""Build a fictional municipality with partners, one user per role and about
fifty signals and cases. Every person, company and address is made up.

The kernel makes the organisations, the users and the signals that belong to
no case type; each case-type package adds its cases with the demo seeder it
registered (`registry.add_demo`, `workflows/<type>/demo.py`), in the
registered order, with one `casework.demo.Demo` context."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from casework import deadlines, services
from casework.demo import (
    MMA,
    RAPPORTAGE,
    RIEC_AANMELDING,
    Demo,
    organisations_and_users,
)
from casework.models import Location, Signal
from casework.registry import registry
from permissions.models import DataClass


class Command(BaseCommand):
    help = "Load the fictional demo municipality (users, signals, cases)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed, **options):
        User = get_user_model()
        if User.objects.filter(username="jurist").exists():
            self.stdout.write("Demo data already present; nothing changed.")
            return
        with transaction.atomic():
            self.build(random.Random(seed))
        # As the morning sweep would: overdue demo deadlines become "missed".
        deadlines.deadlines_sweep()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def build(self, rng: random.Random) -> None:
        orgs, users = organisations_and_users()
        self.grant_admin(users["beheerder"])
        demo = Demo(rng=rng, today=timezone.localdate(), users=users, orgs=orgs)
        # Each case type's cases, in the registered order. They come before the
        # signals below so that a seed keeps giving the same data.
        for seeder in registry.demo:
            seeder.seed(demo)
        self.signals(demo)

    def signals(self, demo: Demo) -> None:
        """Signals still waiting for triage, a few filed ones, and a cluster
        of signals about one address for the selection board."""
        users, rng, today = demo.users, demo.rng, demo.today
        for index in range(12):
            signal = demo.signal(
                [RAPPORTAGE, MMA, RAPPORTAGE, RIEC_AANMELDING][index % 4],
                received_on=today - timedelta(days=rng.randint(0, 20)),
                parties=[demo.person()],
                locations=[demo.address()],
            )
            if index % 4 == 1:
                services.signal_start_triage(signal=signal, user=users["coordinator"])
            if index in (2, 6):
                services.signal_file(
                    signal=signal,
                    user=users["jurist"],
                    reason="Onvoldoende feiten voor een bestuurlijke maatregel; "
                    "teruggelegd bij de politie.",
                )
        for _index in range(2):
            services.signal_register(
                user=users["toezicht"],
                source=Signal.Source.TOEZICHT,
                received_on=today - timedelta(days=rng.randint(0, 10)),
                summary="Constatering BOA: afval en verdachte geur bij loods.",
                data_class=DataClass.D0,
                parties=[],
                locations=[demo.address()],
            )
        # A cluster for the selection board: four signals about one business
        # premises from three sources (issue 6).
        gemeente = demo.orgs["Gemeente Venlo"]
        loods = Location(
            street="Industrieweg", postcode="5928 AA", house_number=7,
            city="Venlo", area="Venlo-Oost",
        )  # fmt: skip
        for days_ago, user, source, data_class, basis, summary in (
            (40, "politie", Signal.Source.MMA, DataClass.D3, "Wpg 19",
             "Meld Misdaad Anoniem: komen en gaan van busjes 's nachts."),
            (25, "toezicht", Signal.Source.TOEZICHT, DataClass.D0, "",
             "Constatering BOA: ramen afgeplakt, sterke geur van hennep."),
            (12, "politie", Signal.Source.BESTUURLIJKE_RAPPORTAGE, DataClass.D3,
             "Wpg 16 lid 1 b", "Bestuurlijke rapportage: verhoogd stroomverbruik."),
            (4, "toezicht", Signal.Source.TOEZICHT, DataClass.D0, "",
             "Constatering BOA: bewoning boven de bedrijfsruimte."),
        ):  # fmt: skip
            services.signal_register(
                user=users[user], source=source,
                received_on=today - timedelta(days=days_ago), summary=summary,
                data_class=data_class, legal_basis=basis,
                shared_with=[gemeente] if user == "politie" else [],
                parties=[], locations=[loods],
            )  # fmt: skip

    def grant_admin(self, user) -> None:
        """The beheerder's admin pages of the kernel; a case-type package adds
        its own tables in its demo seeder (`Demo.grant`)."""
        codenames = [
            "view_organisation",
            "add_organisation",
            "change_organisation",
            "view_user",
            "add_user",
            "change_user",
            "view_membership",
            "add_membership",
            "change_membership",
            "view_equatedholiday",
            "add_equatedholiday",
            "change_equatedholiday",
            "delete_equatedholiday",
        ]
        user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
