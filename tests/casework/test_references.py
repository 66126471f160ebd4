"""References: "YYYY-TYPE-NNNN", gap-free per type and per year."""

import threading
from datetime import datetime
from unittest import skipUnless

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import TransactionTestCase
from django.utils import timezone

from casework import services
from casework.models import Case, ReferenceCounter, Signal
from permissions.models import Role
from tests.base import BaseTestCase
from tests.case_types import CaseType
from tests.factories import SignalFactory, UserFactory


def aware(*args):
    return timezone.make_aware(datetime(*args))


class ReferenceTests(BaseTestCase):
    def open(self, user=None, case_type=CaseType.LOD, **kwargs):
        return services.case_open(
            user=user or self.owner, case_type=case_type, title="Zaak", **kwargs
        )

    def test_reference_is_year_type_and_four_digit_number(self):
        year = timezone.localdate(self.case.opened_at).year
        self.assertEqual(self.case.reference, f"{year}-LOD-0001")

    def test_numbers_follow_on_without_gaps(self):
        year = timezone.localdate().year
        references = [self.open().reference for _ in range(3)]
        self.assertEqual(
            references, [f"{year}-LOD-0002", f"{year}-LOD-0003", f"{year}-LOD-0004"]
        )

    def test_each_case_type_has_its_own_series(self):
        year = timezone.localdate().year
        bibob = UserFactory(role=Role.BIBOB, organisation=self.gemeente)
        regisseur = UserFactory(role=Role.CASUSREGISSEUR, organisation=self.gemeente)
        self.assertEqual(self.open(bibob, CaseType.BIBOB).reference, f"{year}-BIB-0001")
        self.assertEqual(self.open(case_type=CaseType.CONTROLE).reference,
                         f"{year}-IC-0001")  # fmt: skip
        self.assertEqual(
            self.open(regisseur, CaseType.PGA).reference, f"{year}-PGA-0001"
        )
        self.assertEqual(self.open().reference, f"{year}-LOD-0002")

    def test_each_year_starts_again_at_one(self):
        # The year comes from the opening date in Europe/Amsterdam.
        # Years long past, so the cast's case of this year is not in the way.
        # 2018-01-01 00:30 in Amsterdam is still 2017 in UTC.
        first = self.open(opened_at=aware(2019, 12, 31, 23, 30))
        second = self.open(opened_at=aware(2019, 6, 1, 9, 0))
        other_year = self.open(opened_at=aware(2018, 1, 1, 0, 30))
        self.assertEqual(first.reference, "2019-LOD-0001")
        self.assertEqual(second.reference, "2019-LOD-0002")
        self.assertEqual(other_year.reference, "2018-LOD-0001")

    def test_signals_have_their_own_series_by_year_of_receipt(self):
        signal = SignalFactory(registered_by=self.owner)
        self.assertEqual(signal.reference, f"{signal.received_on.year}-SIG-0001")

    def test_a_rolled_back_creation_gives_its_number_back(self):
        year = timezone.localdate().year

        class Abort(Exception):
            pass

        with self.assertRaises(Abort):
            with transaction.atomic():
                case = self.open()
                self.assertEqual(case.reference, f"{year}-LOD-0002")
                raise Abort
        self.assertFalse(Case.objects.filter(reference=f"{year}-LOD-0002").exists())
        self.assertEqual(self.open().reference, f"{year}-LOD-0002")

    def test_a_creation_that_fails_validation_gives_its_number_back(self):
        year = timezone.localdate().year
        with self.assertRaises(ValidationError):
            services.case_open(user=self.owner, case_type=CaseType.LOD, title="x" * 201)
        counter = ReferenceCounter.objects.get(series=CaseType.LOD, year=year)
        self.assertEqual(counter.last, 1)
        self.assertEqual(self.open().reference, f"{year}-LOD-0002")

    def test_reference_next_outside_a_case_still_counts_per_series(self):
        with transaction.atomic():
            self.assertEqual(
                services.reference_next(series="SIG", year=2030), "2030-SIG-0001"
            )
            self.assertEqual(
                services.reference_next(series="SIG", year=2030), "2030-SIG-0002"
            )
        self.assertFalse(Signal.objects.exists())


THREADS = 8


@skipUnless(connection.vendor == "postgresql", "needs row locks (PostgreSQL)")
class ConcurrentReferenceTests(TransactionTestCase):
    """Eight creators at once must get 1..8: no duplicates, no gaps."""

    def run_in_threads(self, work):
        barrier = threading.Barrier(THREADS)
        results, errors = [], []

        def run():
            try:
                barrier.wait(timeout=10)
                results.append(work())
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        return results

    def test_concurrent_reference_next_hands_out_one_to_n(self):
        def work():
            with transaction.atomic():
                reference = services.reference_next(series="LOD", year=2031)
                # Hold the lock a moment so the others really queue behind it.
                threading.Event().wait(0.02)
                return reference

        references = self.run_in_threads(work)
        numbers = sorted(int(ref.rsplit("-", 1)[1]) for ref in references)
        self.assertEqual(numbers, list(range(1, THREADS + 1)))
        self.assertEqual(
            ReferenceCounter.objects.get(series="LOD", year=2031).last, THREADS
        )

    def test_concurrent_case_open_gives_distinct_gap_free_references(self):
        owner = UserFactory(role=Role.JURIST)
        opened_at = aware(2031, 5, 4, 10, 0)

        def work():
            return services.case_open(
                user=owner, case_type=CaseType.LOD, title="Zaak", opened_at=opened_at
            ).reference

        references = self.run_in_threads(work)
        self.assertEqual(len(set(references)), THREADS)
        self.assertEqual(
            sorted(references),
            [f"2031-LOD-{n:04d}" for n in range(1, THREADS + 1)],
        )
        self.assertEqual(Case.objects.count(), THREADS)
