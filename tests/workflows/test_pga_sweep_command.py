"""The retention sweep as operations run it: the management command (with
--today and --dry-run) and the Celery beat task in a real worker on Redis."""

from datetime import date
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase, TransactionTestCase, tag

from casework.celery import app
from casework.models import Case, Party
from permissions.models import Organisation, Role
from tests.broker import RedisBroker
from tests.factories import OrganisationFactory, UserFactory
from workflows.pga import services as svc
from workflows.pga.models import DeletionLog, PgaReferral


def rejected_case(received_on: date) -> Case:
    """A referral received on `received_on`, rejected (D25), as the sweep
    finds it years later."""
    gemeente = OrganisationFactory(name="Gemeente Venlo")
    politie = OrganisationFactory(
        name="Politie Limburg", kind=Organisation.Kind.POLITIE
    )
    regisseur = UserFactory(role=Role.CASUSREGISSEUR, organisation=gemeente)
    case = svc.referral_register(
        user=regisseur,
        person=Party(kind=Party.Kind.PERSON, name="Sem de Wit"),
        reporter=politie,
        received_on=received_on,
        reason="r",
        goal="g",
        informed=True,
    )
    for name in ("start_screening", "to_triage"):
        from casework.services import case_transition

        case_transition(case=case, name=name, user=regisseur)
    from casework.steps import step_run

    step_run(case=case, name="reject", user=regisseur, note="Geen complexe casus",
             data={"advice": "Aanmelden bij het sociaal wijkteam"})  # fmt: skip
    return Case.objects.get(pk=case.pk)


class CommandTests(TestCase):
    def setUp(self):
        self.case = rejected_case(date(2021, 3, 1))

    def run_command(self, *args) -> str:
        out = StringIO()
        call_command("pga_retention_sweep", *args, stdout=out)
        return out.getvalue()

    def test_dry_run_lists_the_case_and_changes_nothing(self):
        out = self.run_command("--today", "2026-03-01", "--dry-run")
        self.assertIn(f"would anonymise: {self.case.reference}", out)
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, "D25")
        self.assertFalse(DeletionLog.objects.filter(action="anonymised").exists())

    def test_the_day_before_the_limit_nothing_happens(self):
        out = self.run_command("--today", "2026-02-28")
        self.assertIn("anonymised=0", out)
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, "D25")

    def test_on_the_limit_the_case_is_anonymised_and_logged(self):
        out = self.run_command("--today", "2026-03-01")
        self.assertIn("anonymised=1", out)
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, "D95")
        log = DeletionLog.objects.get(action="anonymised")
        self.assertEqual(log.case_reference, self.case.reference)
        self.assertEqual(log.basis, "WGS art. 1.8 lid 7")
        self.assertEqual(PgaReferral.objects.get(case=self.case).advice, "")

    def test_a_bad_date_is_an_error(self):
        with self.assertRaises(CommandError):
            self.run_command("--today", "01-03-2026")


@tag("celery")
class CeleryTaskTests(RedisBroker, TransactionTestCase):
    def test_the_beat_task_anonymises_in_a_worker(self):
        from celery.contrib.testing.worker import start_worker

        case = rejected_case(date(2020, 1, 15))
        app.finalize()  # what `celery beat` does on start (celery/apps/beat.py)
        self.assertIn("pga-retention-sweep", app.conf.beat_schedule)
        with start_worker(app, perform_ping_check=False, pool="solo"):
            result = app.send_task("workflows.pga.tasks.retention_sweep").get(
                timeout=20
            )
        self.assertEqual(result["anonymised"], [case.reference])
        self.assertEqual(Case.objects.get(pk=case.pk).status, "D95")
