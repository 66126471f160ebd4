"""Refusals as users read them (casework/rules.py)."""

from datetime import date

from django.test import SimpleTestCase

from casework.rules import Refusal, refuse


class RefusalTextTests(SimpleTestCase):
    def test_the_rule_follows_the_message(self):
        refusal = Refusal("Awb 4:8", "De termijn voor zienswijzen loopt nog.")
        self.assertEqual(
            str(refusal), "De termijn voor zienswijzen loopt nog. (Awb 4:8)"
        )

    def test_a_message_that_cites_its_rule_is_not_followed_by_it_again(self):
        word_for_word = Refusal(
            "Gemw 172a lid 1", "Eerst een waarschuwing (Gemw 172a lid 1)."
        )
        reworded = Refusal(
            "WGS art. 2.31 lid 6",
            "De casus wordt pas gesloten na een evaluatie (art. 2.31, zesde lid, Wgs).",
        )
        self.assertEqual(
            str(word_for_word), "Eerst een waarschuwing (Gemw 172a lid 1)."
        )
        self.assertTrue(str(reworded).endswith("(art. 2.31, zesde lid, Wgs)."))
        self.assertNotIn("WGS art.", str(reworded))

    def test_refuse_names_the_date_in_dutch(self):
        refusal = refuse(
            "Awb 4:8", "De termijn loopt tot en met %(date)s.", on=date(2026, 3, 2)
        )
        self.assertEqual(refusal.on, date(2026, 3, 2))
        self.assertIn("2 maart 2026", refusal.message)
        self.assertEqual(
            refusal.as_dict(),
            {"rule": "Awb 4:8", "message": refusal.message, "date": "2026-03-02"},
        )


class EveryConditionIsAGuardTests(SimpleTestCase):
    """Every condition of every registered case type's transitions is a
    `casework.rules.guard`: it refuses with its rule and a message users
    read. A plain boolean condition would be explained by the first line of
    its docstring (`rules.explain`), English text on a Dutch page — as LOD's
    `besluit_revoked`, `is_penalty_order` and `no_open_child_case` were
    until the seventeenth session."""

    def test_every_condition_names_its_rule(self):
        from casework.registry import registry

        plain = []
        for code, entry in registry.case_types.items():
            field = entry.proxy._meta.get_field("status")
            for method in field.transitions.get(entry.proxy, {}).values():
                for transition in method._django_fsm.transitions.values():
                    plain += [
                        f"{code}.{transition.name}: {condition.__qualname__}"
                        for condition in transition.conditions
                        if getattr(condition, "explain", None) is None
                    ]
        self.assertTrue(registry.case_types)
        self.assertEqual(plain, [])
