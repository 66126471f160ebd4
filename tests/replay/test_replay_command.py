"""`python manage.py replay`: lines per step, the clock set to each step's
date, nothing left behind, and bad input refused with exit status 2."""

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from casework.models import Case, CaseEvent, Deadline
from permissions.models import AccessLog

INTENTION = {"sent_on": "2030-03-04", "term_length": 2, "term_unit": "weeks"}


def scenario(*steps, **facts):
    return {
        "case_type": "LOD",
        "facts": {
            "title": "Hennepkwekerij Voorbeeldstraat 1",
            "opened_on": "2030-03-01",
            **facts,
        },
        "steps": list(steps),
    }


def step(on, actor, do, **given):
    line = {"on": on, "as": actor, "do": do}
    if given:
        line["with"] = given
    return line


class ReplayCommandTest(TestCase):
    def replay(self, data, *extra):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(data, f)
        out, err = StringIO(), StringIO()
        call_command("replay", f.name, *extra, stdout=out, stderr=err)
        return [json.loads(line) for line in out.getvalue().splitlines()], err

    def refused(self, data) -> str:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(data, f)
        err = StringIO()
        with self.assertRaises(SystemExit) as exit_:
            call_command("replay", f.name, stdout=StringIO(), stderr=err)
        self.assertEqual(exit_.exception.code, 2)
        return err.getvalue()

    def test_steps_run_on_their_own_dates_and_leave_nothing(self):
        """The clock is the step's date: an intention sent on 4 March 2030 is
        not "in the future" on that day, and its two-week views period (Awb
        4:8, from the day after) ends on Monday 18 March 2030. A step dated
        before the term ends is refused by the machine's own rule; the step
        after it is accepted. Afterwards no case, user, event, deadline or
        log row is left."""
        lines, _err = self.replay(
            scenario(
                step("2030-03-01", "jurist", "start_assessment"),
                step("2030-03-04", "jurist", "send_intention", **INTENTION),
                step("2030-03-11", "jurist", "views_term_expired"),
                step("2030-03-19", "jurist", "views_term_expired"),
            )
        )
        self.assertEqual(
            [line["accepted"] for line in lines], [True, True, False, True]
        )
        self.assertEqual(lines[1]["status"], "A20")
        self.assertEqual(lines[1]["deadlines"], {"Awb 4:8": "2030-03-18"})
        self.assertEqual(lines[2]["status"], "A20")
        self.assertTrue(lines[2]["why"])
        self.assertEqual(lines[3]["status"], "A30")
        self.assertEqual(lines[3]["deadlines"], {})
        self.assertEqual(lines[0]["on"], "2030-03-01")
        self.assertEqual(lines[0]["as"], "jurist")
        for model in (Case, CaseEvent, Deadline, AccessLog, get_user_model()):
            self.assertFalse(model.objects.exists(), model.__name__)

    def test_a_role_that_may_not_take_the_step_is_refused_with_the_rule(self):
        lines, _err = self.replay(
            scenario(
                step("2030-03-01", "toezicht", "start_assessment"),
                step("2030-03-01", "jurist", "start_assessment"),
            )
        )
        self.assertFalse(lines[0]["accepted"])
        self.assertEqual(lines[0]["why"][0]["rule"], "bevoegdheid: rol")
        self.assertEqual(lines[0]["status"], "A00")
        self.assertTrue(lines[1]["accepted"])

    def test_a_step_not_possible_in_the_status_names_the_status(self):
        lines, _err = self.replay(
            scenario(step("2030-03-01", "jurist", "views_term_expired"))
        )
        self.assertFalse(lines[0]["accepted"])
        self.assertEqual(lines[0]["why"][0]["rule"], "proces: volgorde van stappen")
        self.assertIn("Signaal ontvangen", lines[0]["why"][0]["message"])

    def test_form_errors_are_refusals_in_dutch(self):
        """A date in the future (the step's own date is today) is refused by
        the step's form, as on the page."""
        lines, _err = self.replay(
            scenario(
                step("2030-03-01", "jurist", "start_assessment"),
                step(
                    "2030-03-04",
                    "jurist",
                    "send_intention",
                    **{**INTENTION, "sent_on": "2030-03-05"},
                ),
            )
        )
        self.assertFalse(lines[1]["accepted"])
        self.assertEqual(lines[1]["why"][0]["rule"], "formulier")
        self.assertIn("toekomst", lines[1]["why"][0]["message"])
        self.assertEqual(lines[1]["status"], "A10")

    def test_letters_offered_follow_the_acting_user(self):
        lines, _err = self.replay(
            scenario(
                step("2030-03-01", "jurist", "start_assessment"),
                step("2030-03-01", "jurist", "send_warning"),
                step("2030-03-01", "toezicht", "start_assessment"),
            )
        )
        # Offered once the step it records exists, to the role that writes it
        # (workflows/lod/letters.py PROCEDURE_LETTERS).
        self.assertNotIn("waarschuwing_lod", lines[0]["letters"])
        self.assertIn("waarschuwing_lod", lines[1]["letters"])
        self.assertEqual(lines[2]["letters"], [])

    def test_make_letter_writes_the_pdf(self):
        with tempfile.TemporaryDirectory() as folder:
            lines, _err = self.replay(
                scenario(
                    step("2030-03-01", "jurist", "start_assessment"),
                    step("2030-03-01", "jurist", "send_warning"),
                    step(
                        "2030-03-01",
                        "jurist",
                        "make_letter",
                        template="waarschuwing_lod",
                    ),
                    step(
                        "2030-03-01",
                        "jurist",
                        "make_letter",
                        template="waarschuwing_lod",
                        inputs={
                            "recipient_name": "J. Jansen",
                            "recipient_address": "Voorbeeldstraat 1\n5911 AA Venlo",
                            "premises_address": "Voorbeeldstraat 1, Venlo",
                            "violation": "Een hennepkwekerij in de woning.",
                            "legal_basis": "Artikel 13b Opiumwet",
                            "beleidsregel": "Beleidsregel 13b Opiumwet Venlo 2026",
                            "next_measure": "Sluiting van de woning voor drie maanden.",
                        },
                    ),
                ),
                "--letters",
                folder,
            )
            made = list(Path(folder).glob("*.pdf"))
            # Without its required inputs the letter is refused, naming them.
            self.assertFalse(lines[2]["accepted"])
            missing = {why["message"].split(":")[0] for why in lines[2]["why"]}
            self.assertIn("violation", missing)
            self.assertTrue(lines[3]["accepted"], lines[3]["why"])
            self.assertEqual(lines[3]["document"], "waarschuwing_lod v1")
            self.assertEqual(len(made), 1)
            self.assertTrue(made[0].read_bytes().startswith(b"%PDF"))

    def test_bad_input_exits_2_naming_the_step(self):
        cases = [
            (
                scenario(step("2030-03-01", "jurist", "fly_away")),
                "step 1 (fly_away): unknown step 'fly_away'",
            ),
            (
                scenario(step("2030-02-30", "jurist", "start_assessment")),
                "step 1 (start_assessment).on: '2030-02-30' is not a date",
            ),
            (
                scenario({"on": "2030-03-01", "do": "start_assessment"}),
                "step 1 (start_assessment): missing 'as'",
            ),
            (
                scenario(
                    step("2030-03-01", "jurist", "start_assessment"),
                    step("2030-03-04", "jurist", "send_intention", **INTENTION),
                    step(
                        "2030-03-06",
                        "jurist",
                        "receive_views",
                        received_on="2030-03-06",
                    ),
                ),
                "step 3 (receive_views): missing field(s) manner",
            ),
            (
                scenario(
                    step("2030-03-04", "jurist", "send_intention", sent_on="4-3-2030")
                ),
                "step 1 (send_intention).with.sent_on: '4-3-2030' is not a date",
            ),
            (
                scenario(step("2030-03-01", "nobody", "start_assessment")),
                "step 1 (start_assessment): no demo user or role 'nobody'",
            ),
            (
                {"case_type": "XYZ", "steps": []},
                "case_type: 'XYZ' is not a case type",
            ),
            (
                scenario(
                    step("2030-03-02", "jurist", "start_assessment"),
                    step("2030-03-01", "jurist", "send_intention", **INTENTION),
                ),
                "step 2 (send_intention): dated 2030-03-01 before the step before it",
            ),
        ]
        for data, message in cases:
            with self.subTest(message):
                self.assertIn(message, self.refused(data))
        self.assertFalse(Case.objects.exists())
        self.assertFalse(get_user_model().objects.exists())

    def test_an_unreadable_file_exits_2(self):
        err = StringIO()
        with self.assertRaises(SystemExit) as exit_:
            call_command("replay", "/nonexistent.json", stderr=err)
        self.assertEqual(exit_.exception.code, 2)
        self.assertIn("no such file", err.getvalue())
