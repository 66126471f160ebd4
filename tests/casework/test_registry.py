"""The kernel's registry (casework/registry.py): what the case-type packages
register reaches the kernel, and the kernel decides nothing by case-type code."""

import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase
from django.urls import reverse

from casework import letters, registry
from casework.registry import Registry
from casework.registry import registry as the_registry
from permissions.models import Role
from tests.case_types import CaseType

from ..base import BaseTestCase

ROOT = Path(__file__).resolve().parents[2]


class RegistryRulesTests(SimpleTestCase):
    def entry(self, code="XX"):
        class Proxy:
            INITIAL = "X00"

        return registry.CaseTypeEntry(code=code, label="X", proxy=Proxy)

    def test_a_code_registered_twice_is_refused_at_start_up(self):
        fresh = Registry()
        fresh.register_case_type(self.entry())
        with self.assertRaisesMessage(ImproperlyConfigured, "XX registered twice"):
            fresh.register_case_type(self.entry())

    def test_a_section_flag_registered_twice_is_refused(self):
        fresh = Registry()
        fresh.add_sections(registry.Section("has_x", "casework.Case", "id"))
        with self.assertRaises(ImproperlyConfigured):
            fresh.add_sections(registry.Section("has_x", "casework.Deadline"))

    def test_an_unknown_code_is_a_lookup_error_not_a_silent_default(self):
        with self.assertRaisesMessage(LookupError, "no case type 'NOPE'"):
            the_registry.case_type("NOPE")
        # Labels fall back to the stored code (an old row of a removed type).
        self.assertEqual(the_registry.type_label("NOPE"), "NOPE")
        self.assertEqual(the_registry.status_label("NOPE", "Z10"), "Z10")

    def test_menu_entries_follow_the_role(self):
        fresh = Registry()
        fresh.add_menu(
            registry.MenuEntry("B", "casework:home", frozenset({Role.FG}), order=20),
            registry.MenuEntry("A", "casework:home", frozenset({Role.FG}), order=10),
            registry.MenuEntry("C", "casework:home", frozenset({Role.JURIST})),
        )
        self.assertEqual([e.label for e in fresh.menu_for(Role.FG)], ["A", "B"])
        self.assertEqual(fresh.menu_for(Role.PARTNER), [])


class InstalledTypesTests(SimpleTestCase):
    def test_the_four_types_are_registered_with_their_machine_and_flow(self):
        for code in CaseType.values:
            with self.subTest(code=code):
                entry = the_registry.case_type(code)
                self.assertIn(entry.initial_status, entry.proxy.Status.values)
                self.assertIsNotNone(entry.flow)
                # Every status the flow does not end in belongs to a phase.
                for status in entry.proxy.Status.values:
                    if status not in entry.proxy.TERMINAL:
                        self.assertIn(status, entry.flow.phase_of)

    def test_the_kernel_letter_index_is_the_registered_letters(self):
        self.assertEqual(set(letters.TEMPLATES), set(the_registry.letters))
        for key, letter in the_registry.letters.items():
            with self.subTest(key=key):
                self.assertEqual(
                    letters.DATA_CLASS_OF.get(key, "D2"), letter.data_class
                )
        self.assertEqual(the_registry.letter("plan_van_aanpak").data_class, "D10")
        self.assertEqual(the_registry.letter("voornemen_bibob").data_class, "D5")

    def test_letters_of_one_type_are_offered_on_that_type(self):
        lod = {letter.key for letter in the_registry.letters_for(CaseType.LOD)}
        self.assertIn("besluit_lod", lod)
        self.assertNotIn("voornemen_bibob", lod)

    def test_the_periodic_tasks_reach_the_beat_schedule(self):
        from casework.celery import app

        app.loader.import_default_modules()  # what a worker does on start
        app.finalize()
        self.assertEqual(
            app.conf.beat_schedule["pga-retention-sweep"]["task"],
            "workflows.pga.tasks.retention_sweep",
        )
        self.assertIn("workflows.pga.tasks.retention_sweep", app.tasks)

    def test_registered_urls_live_in_the_casework_namespace(self):
        self.assertEqual(
            reverse("casework:lod_assessment", args=["2026-LOD-0001"]),
            "/cases/2026-LOD-0001/assessment/",
        )
        self.assertEqual(reverse("casework:bibob_outcomes"), "/bibob/outcomes/")


class KernelKnowsNoCaseTypeTests(SimpleTestCase):
    """The import rule is import-linter's (CI); templates it cannot see."""

    CODE_TEST = re.compile(r"case_type\s*==|case\.case_type\s*in\b")

    def test_no_kernel_template_tests_a_case_type_code(self):
        for path in (ROOT / "templates").rglob("*.html"):
            with self.subTest(template=str(path.relative_to(ROOT))):
                self.assertIsNone(self.CODE_TEST.search(path.read_text()))

    def test_no_kernel_module_tests_a_case_type_code(self):
        for path in (ROOT / "casework").rglob("*.py"):
            if "migrations" in path.parts or path.name == "registry.py":
                continue  # the registry compares codes with registered tuples
            with self.subTest(module=str(path.relative_to(ROOT))):
                self.assertIsNone(self.CODE_TEST.search(path.read_text()))


class CasePageAsksTheRegistryTests(BaseTestCase):
    def test_menu_and_links_come_from_the_registered_types(self):
        coordinator = self.make_user("coordinator", Role.COORDINATOR, self.gemeente)
        self.client.force_login(coordinator)
        response = self.client.get(reverse("casework:home"))
        self.assertContains(response, reverse("casework:controle_board"))
        self.assertNotContains(response, reverse("casework:pga_top_x"))
        casusregisseur = self.make_user(
            "casusregisseur", Role.CASUSREGISSEUR, self.gemeente
        )
        self.client.force_login(casusregisseur)
        response = self.client.get(reverse("casework:home"))
        self.assertContains(response, reverse("casework:pga_top_x"))
        self.assertNotContains(response, reverse("casework:controle_board"))
