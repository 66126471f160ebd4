"""The installed libraries' migrations are applied before the project's
(docs/architecture.md "Data"): each of their field changes then re-renders
the few models of the migration state at that point, not every model of the
project related to the user."""

from django.apps import apps
from django.conf import settings
from django.db.migrations.executor import MigrationExecutor
from django.test import SimpleTestCase


def project_labels() -> set[str]:
    """The app labels of the project's own packages (under BASE_DIR, not in
    the virtual environment)."""
    base = str(settings.BASE_DIR)
    return {
        config.label
        for config in apps.get_app_configs()
        if config.path.startswith(base) and "/.venv/" not in config.path
    }


class MigrationOrderTests(SimpleTestCase):
    def test_every_library_migration_comes_before_the_first_of_the_project(self):
        # The plan `migrate` follows on an empty database, read from the
        # migration files alone (no connection: no database is asked).
        executor = MigrationExecutor(None)
        targets = executor.loader.graph.leaf_nodes()
        plan = [
            (migration.app_label, migration.name)
            for migration, _ in executor.migration_plan(targets, clean_start=True)
        ]
        ours = project_labels()
        self.assertIn("casework", ours)
        self.assertNotIn("oauth2_provider", ours)
        first = next(i for i, (label, _) in enumerate(plan) if label in ours)
        late = [node for node in plan[first:] if node[0] not in ours]
        self.assertEqual(late, [])
