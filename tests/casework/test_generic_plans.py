"""Statements whose plan depends on a partial index keep it in a prepared
statement's generic plan: the index's condition is stated as a literal
(`casework.expressions.Const`), not sent as a parameter. Each test fails on
the statement as it was (the parameter does not prove the condition, and the
plan falls back to another index: at 1M, 25–74 ms instead of 0.1–3)."""

from django.db import connection
from django.utils import timezone

import pytest

from casework import assignment
from casework.expressions import Const
from casework.models import CaseEvent
from tests.base import BaseTestCase
from tests.factories import valid_bsn
from tests.indexes import generic_plan, statements
from workflows.bibob.selectors import _Parties
from workflows.controle.views import dashboard_outcomes


class ConstTests(BaseTestCase):
    def test_a_constant_is_a_literal_and_finds_the_same_rows(self):
        events = CaseEvent.objects.filter(case=self.case)
        as_parameter = events.filter(kind=CaseEvent.Kind.CREATED)
        as_literal = events.filter(kind=Const(CaseEvent.Kind.CREATED))
        sql, params = as_literal.query.sql_with_params()
        self.assertIn("\"kind\" = 'created'", sql)
        self.assertNotIn("created", [str(p) for p in params])
        self.assertTrue(as_parameter.exists())
        self.assertEqual(list(as_literal), list(as_parameter))
        listed = events.filter(kind__in=[Const("created"), Const("status")])
        self.assertIn("IN ('created', 'status')", str(listed.query))
        both = events.filter(kind__in=["created", "status"])
        self.assertEqual(list(listed), list(both))
        self.assertIn("= 7", str(events.filter(case_id=Const(7)).query))

    def test_only_code_constants_are_accepted(self):
        for value in ("x'y", "a;b", "a\\b", "\x00", "é"):
            with self.subTest(value=value), self.assertRaises(ValueError):
                Const(value)
        for value in (True, 1.5, None, b"x", ["a"]):
            with self.subTest(value=value), self.assertRaises(TypeError):
                Const(value)


@pytest.mark.postgres
class GenericPlanTests(BaseTestCase):
    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's planner")

    def test_mijn_werk_groups_read_the_step_indexes(self):
        """`list_step_holder` and `list_step` hold only entries with an open
        step (step_role <> ''): the role is a literal."""
        assignment._groups_sql.cache_clear()
        sent = statements(lambda: assignment.work_groups(self.owner))
        (sql, params), *_ = [s for s in sent if "ROW_NUMBER" in s[0]]
        plan = generic_plan(sql, params)
        self.assertIn("list_step_holder", plan)
        self.assertIn("list_step ", plan)
        self.assertIn("step_role = 'jurist'", plan)

    def test_the_bibob_reuse_check_reads_the_number_indexes(self):
        """`search_party_bsn` and `search_party_kvk` hold only filled-in
        numbers: the query says so as a literal."""
        parties = _Parties(
            ids=frozenset({1}), bsns=frozenset({valid_bsn(1)}),
            kvks=frozenset({"12345678"}),
        )  # fmt: skip
        sent = statements(parties.matching_party_ids)
        self.assertEqual(len(sent), 2)
        plans = [generic_plan(sql, params) for sql, params in sent]
        self.assertIn("search_party_bsn", plans[0])
        self.assertIn("search_party_kvk", plans[1])

    def test_the_controle_dashboards_outcomes_read_the_outcome_index(self):
        query = dashboard_outcomes(self.owner, timezone.localdate())
        plan = generic_plan(*query.query.sql_with_params())
        # The user's inspections with an outcome since the oldest quarter
        # (casework migration 0024), each with its outcomes, or a range of
        # every outcome since then (controle migrations 0008 and 0004).
        self.assertIn("list_outcome", plan)
        self.assertRegex(plan, r"controle_outcome_(events|cases)")
