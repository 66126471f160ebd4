"""The walks' write detector (tests/writes.py) on the database it runs on."""

from django.db import connection, transaction
from django.test import TestCase

from casework.models import Party
from tests.writes import Watch, write_count

TABLES = [Party._meta.db_table]


class WatchTests(TestCase):
    def test_a_read_is_no_write_on_postgresql(self):
        Party.objects.create(kind=Party.Kind.PERSON, name="Eerste")
        with Watch(TABLES) as watch:
            list(Party.objects.all())
        # SQLite counts nothing: there every block counts as a write.
        self.assertEqual(watch.wrote, connection.vendor != "postgresql")

    def test_a_write_rolled_back_to_a_savepoint_still_counts(self):
        with Watch(TABLES) as watch:
            sid = transaction.savepoint()
            Party.objects.create(kind=Party.Kind.PERSON, name="Tweede")
            transaction.savepoint_rollback(sid)
        self.assertTrue(watch.wrote)
        self.assertFalse(Party.objects.filter(name="Tweede").exists())

    def test_updates_and_deletes_count(self):
        party = Party.objects.create(kind=Party.Kind.PERSON, name="Derde")
        for change in (
            lambda: Party.objects.filter(pk=party.pk).update(name="Vierde"),
            lambda: Party.objects.filter(pk=party.pk).delete(),
        ):
            with Watch(TABLES) as watch:
                change()
            self.assertTrue(watch.wrote)

    def test_the_count_is_postgresqls_only(self):
        count = write_count(TABLES)
        if connection.vendor == "postgresql":
            self.assertIsInstance(count, int)
        else:
            self.assertIsNone(count)
