"""The rebuild against figures worked out by hand (tests/hotspots/base.py),
and each role's score: only what the role sees, a hidden cell counting
nothing."""

from datetime import date

from hotspots import rebuild
from hotspots.models import Figure, Rank
from tests.hotspots.base import TODAY, HotspotWorld


def figures(**filters) -> dict:
    return {
        (f.family, f.data_class, f.measure, f.key): f.value
        for f in Figure.objects.filter(**filters)
    }


def ranks(role, facet="") -> dict:
    return dict(
        Rank.objects.filter(role=role, facet=facet).values_list("location_id", "score")
    )


class RebuildTests(HotspotWorld):
    def test_months_before_keeps_the_day_or_the_months_last(self):
        self.assertEqual(rebuild.months_before(TODAY, 3), date(2026, 9, 6))
        self.assertEqual(rebuild.months_before(date(2026, 5, 31), 3), date(2026, 2, 28))
        self.assertEqual(rebuild.months_before(TODAY, 36), date(2023, 12, 6))

    def test_figures_of_an_address(self):
        self.assertEqual(
            figures(location=self.a),
            {
                ("SIG", "D3", "source", "mma"): 3,
                ("SIG", "D0", "source", "toezicht"): 2,
                ("SIG", "D0", "source", "burger"): 1,
                # < 3 months: since 2026-09-06; 3-12 months: since 2025-12-06.
                ("SIG", "D3", "age", "recent"): 3,
                ("SIG", "D0", "age", "year"): 2,
                ("SIG", "D0", "age", "older"): 1,
                ("LOD", "D2", "open", ""): 1,
                ("LOD", "D2", "closed", ""): 1,
                ("BIB", "D5", "open", ""): 1,
                ("PGA", "D10", "open", ""): 1,
                # three transfers since 2023-12-06; the one of 2020 is older.
                ("KAD", "D1", "ownership", ""): 3,
            },
        )
        # Two registrations since 2024-12-06; the one of 2023 is older.
        self.assertEqual(
            figures(location=self.b),
            {
                ("SIG", "D0", "source", "burger"): 2,
                ("SIG", "D0", "age", "recent"): 2,
                ("KVK", "D1", "branch", "56302"): 2,
            },
        )

    def test_area_figures_count_each_signal_once(self):
        q4 = figures(location__isnull=True, area="Q4")
        self.assertEqual(q4[("SIG", "D0", "source", "burger")], 3)
        self.assertEqual(q4[("KVK", "D1", "branch", "56302")], 2)
        self.assertEqual(figures(location__isnull=True, area="Blerick"), {
            ("SIG", "D3", "source", "mma"): 1, ("SIG", "D3", "age", "recent"): 1,
        })  # fmt: skip

    def test_scores_per_role_worked_out_by_hand(self):
        a, b, c = self.a.pk, self.b.pk, self.c.pk
        # coordinator: signals 6 + LOD open 3×1 + closed 1 + KAD 2×3 (exact);
        # no BIB (D5 unread), no PGA per address.
        self.assertEqual(ranks("coordinator"), {a: 16, b: 2 + 2, c: 1})
        # burgemeester: signals 6 + LOD 4 + BIB 3; KAD 3 < 5 hidden, KVK too.
        self.assertEqual(ranks("burgemeester"), {a: 13, b: 2, c: 1})
        # bibob: signals 6 + BIB 3 + KAD 6; LOD 1 and 1 hidden (not exact).
        self.assertEqual(ranks("bibob"), {a: 15, b: 4, c: 1})
        # casusregisseur: signals 6 + PGA 3; the rest hidden.
        self.assertEqual(ranks("casusregisseur"), {a: 9, b: 2, c: 1})
        # a partner reads D0, D1, D10 and sees no small number exactly.
        self.assertEqual(ranks("partner"), {})

    def test_facets(self):
        a, c = self.a.pk, self.c.pk
        self.assertEqual(ranks("coordinator", "S:mma"), {a: 3, c: 1})
        self.assertEqual(ranks("coordinator", "F:KAD"), {a: 6})
        self.assertEqual(ranks("burgemeester", "F:KAD"), {})

    def test_refresh_replaces_everything(self):
        before = Figure.objects.count()
        record = rebuild.refresh(today=TODAY)
        self.assertEqual(Figure.objects.count(), before)
        self.assertEqual(record.figures, before)
        self.assertEqual(record.ranks, Rank.objects.count())

    def test_hidden_cells_never_order_the_list(self):
        # Two addresses with five signals each (shown to a partner) and a
        # hidden number of ownership changes: 4 at the later address, 1 at
        # the earlier. Equal scores; the order is by id, not by what is hidden.
        from hotspots.models import OwnershipChange

        first = self.location("Kerkstraat", 3, "5931 HK", "Tegelen")
        second = self.location("Kerkstraat", 5, "5931 HK", "Tegelen")
        for where, changes in ((first, 1), (second, 4)):
            for n in range(5):
                self.signal("toezicht", "D0", date(2026, 10, 1 + n), where)
            for n in range(changes):
                OwnershipChange.objects.create(
                    postcode=where.postcode, house_number=where.house_number,
                    location=where, transferred_on=date(2025, 1, 1 + n),
                    buyer_kind="natural",
                )  # fmt: skip
        rebuild.refresh(today=TODAY)
        self.assertEqual(ranks("partner"), {first.pk: 5, second.pk: 5})
        from hotspots.selectors import ranked
        from permissions.figures import figure_scope

        rows = ranked(figure_scope(self.users["politie"]), limit=10)
        self.assertEqual([r.location_id for r in rows], [first.pk, second.pk])
        self.assertEqual(rows[1].cells["KAD"].text, "< 5")

    def test_command_and_task(self):
        from io import StringIO

        from django.core.management import call_command

        from hotspots.tasks import refresh

        out = StringIO()
        call_command("refresh_hotspots", stdout=out)
        self.assertIn("figures", out.getvalue())
        self.assertGreater(refresh()["figures"], 0)
