"""Running replay scenarios in tests (docs/replay.md).

A scenario's steps may carry `expect`, which `manage.py replay` ignores and
`ReplayTestCase.assert_scenario` compares with the step's line:

- `accepted`, `status`: equal;
- `deadlines`, `balance`: every key given has the value given (a deadline
  given as null must be absent);
- `why`: the rules the refusal names, each in the line's `why`;
- `letters_include` / `letters_exclude`: letter keys offered / not offered;
- `document`: the letter the step made ("key v1").

Every expectation is hand-computed: the scenario's `note`s or the test's
docstring show the computation and name the statute.
"""

from __future__ import annotations

from pathlib import Path

from django.test import TestCase

from casework.replay import load, run

HERE = Path(__file__).parent


class ReplayTestCase(TestCase):
    """Scenarios run on an empty database: `replay` makes the demo users
    inside its own rolled-back transaction."""

    def run_scenario(self, source) -> list[dict]:
        if isinstance(source, str) and not source.startswith("/"):
            source = HERE / source
        return run(source)

    def assert_scenario(self, source) -> list[dict]:
        if isinstance(source, str) and not source.startswith("/"):
            source = HERE / source
        scenario = load(source)
        lines = run(scenario)
        self.assertEqual(len(lines), len(scenario["steps"]))
        for step, line in zip(scenario["steps"], lines, strict=True):
            expect = step.get("expect")
            if expect:
                self.assert_line(line, expect)
        return lines

    def assert_line(self, line: dict, expect: dict) -> None:
        where = f"step {line['step']} ({line['do']} on {line['on']}): {line}"
        for key in ("accepted", "status", "document"):
            if key in expect:
                self.assertEqual(line.get(key), expect[key], where)
        for key in ("deadlines", "balance"):
            for name, value in expect.get(key, {}).items():
                got = (line.get(key) or {}).get(name)
                self.assertEqual(got, value, f"{key}[{name}] — {where}")
        rules = [refusal["rule"] for refusal in line["why"]]
        for rule in expect.get("why", []):
            self.assertIn(rule, rules, where)
        for key in expect.get("letters_include", []):
            self.assertIn(key, line["letters"], where)
        for key in expect.get("letters_exclude", []):
            self.assertNotIn(key, line["letters"], where)
