"""The signal list (`casework.listing.signal_page`): the signals the user may
see, newest received first, a page at a time by cursor — every signal can be
reached, none the user may not see ever is, a forged cursor shows the first
page, and a page costs the same queries wherever it is."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import listing, services
from casework.models import Signal
from permissions.models import DataClass
from tests.base import BaseTestCase
from tests.factories import SignalFactory

FIRST = date(2026, 1, 5)


class SignalListTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Eleven signals of the gemeente over five days (two or three a day,
        # so that ties on the date are broken by the id), one of them filed;
        # a police report not shared with the gemeente; one shared with it.
        cls.mine = []
        for n in range(11):
            cls.mine.append(
                SignalFactory(
                    registered_by=cls.owner,
                    received_on=FIRST + timedelta(days=n // 3),
                    summary=f"Melding {n}",
                )
            )
        services.signal_file(signal=cls.mine[4], user=cls.owner, reason="Geen grond.")
        cls.hidden = SignalFactory(police_report=True, registered_by=cls.politie_user)
        cls.shared = SignalFactory(
            police_report=True, registered_by=cls.politie_user,
            shared_with=[cls.gemeente], received_on=FIRST + timedelta(days=2),
        )  # fmt: skip

    def expected(self, status="", more=()):
        """The owner's signals (and `more`) in the list's order: newest
        received, then the highest id first."""
        signals = [*self.mine, self.shared, *more]
        signals = [Signal.objects.get(pk=s.pk) for s in signals]
        if status:
            signals = [s for s in signals if s.status == status]
        signals.sort(key=lambda s: (s.received_on, s.pk), reverse=True)
        return [s.reference for s in signals]

    def walk(self, user, per_page, status=""):
        """Every page from the first by `next`, then back by `previous`."""
        pages, after = [], ""
        while True:
            page = listing.signal_page(
                user, status=status, after=after, per_page=per_page
            )
            self.assertFalse(page.refused_cursor)
            pages.append([row.reference for row in page.rows])
            if not page.next:
                break
            after = page.next
        back, before = [pages[-1]], page.previous
        while before:
            page = listing.signal_page(
                user, status=status, before=before, per_page=per_page
            )
            back.append([row.reference for row in page.rows])
            before = page.previous
        return pages, back


class PagingTests(SignalListTestCase):
    def test_every_signal_once_in_order_and_back(self):
        pages, back = self.walk(self.owner, per_page=4)
        self.assertEqual([r for page in pages for r in page], self.expected())
        self.assertEqual([len(page) for page in pages], [4, 4, 4])
        self.assertEqual(list(reversed(back)), pages)
        self.assertNotIn(self.hidden.reference, {r for page in pages for r in page})

    def test_the_status_filter_holds_on_every_page(self):
        pages, _back = self.walk(self.owner, per_page=2, status=Signal.Status.FILED)
        self.assertEqual(pages, [[self.mine[4].reference]])
        pages, _back = self.walk(self.owner, per_page=3, status=Signal.Status.NEW)
        flat = [r for page in pages for r in page]
        self.assertEqual(flat, self.expected(status=Signal.Status.NEW))
        self.assertNotIn(self.mine[4].reference, flat)

    def test_each_reader_sees_its_own_signals_only(self):
        pages, _back = self.walk(self.politie_user, per_page=5)
        self.assertEqual(
            sorted(r for page in pages for r in page),
            sorted([self.hidden.reference, self.shared.reference]),
        )
        pages, _back = self.walk(self.belastingdienst_user, per_page=5)
        self.assertEqual(pages, [[]])
        self.assertEqual(listing.signal_page(self.fg).rows, [])

    def test_a_forged_cursor_shows_the_first_page(self):
        first = listing.signal_page(self.owner, per_page=4)
        for cursor in ("x1_2", "o20000_1", "r99999999999_1", "r1_", "nonsense"):
            with self.subTest(cursor=cursor):
                page = listing.signal_page(self.owner, after=cursor, per_page=4)
                self.assertTrue(page.refused_cursor)
                self.assertEqual(page.rows, first.rows)
        # A case list's cursor is not a signal list's.
        case_cursor = listing.encode_cursor(listing.SORTS["due"], FIRST, 1)
        self.assertTrue(
            listing.signal_page(self.owner, after=case_cursor).refused_cursor
        )

    def test_a_row_carries_what_the_table_prints(self):
        [row] = [
            r for r in listing.signal_page(self.owner).rows
            if r.reference == self.shared.reference
        ]  # fmt: skip
        self.assertEqual(row.url, self.shared.get_absolute_url())
        self.assertEqual(row.source, "Bestuurlijke rapportage politie")
        self.assertEqual(row.received, "7-1-2026")
        self.assertEqual(row.source_organisation, self.politie.name)
        self.assertEqual(row.status, "Nieuw")
        self.assertEqual(row.data_class, DataClass.D3)


class PageViewTests(SignalListTestCase):
    def test_the_page_links_the_next_and_keeps_the_filter(self):
        self.client.force_login(self.owner)
        first = self.client.get("/signals/")
        self.assertEqual(first.status_code, 200)
        self.assertEqual(first.context["next_url"], "")  # twelve fit on a page
        self.assertContains(first, self.mine[0].reference)
        filtered = self.client.get("/signals/", {"status": "filed"})
        self.assertEqual(
            [row.reference for row in filtered.context["signals"]],
            [self.mine[4].reference],
        )

    def test_fifty_one_signals_are_two_pages(self):
        more = [
            SignalFactory(registered_by=self.owner, received_on=FIRST, summary=f"x{n}")
            for n in range(40)
        ]
        self.client.force_login(self.owner)
        first = self.client.get("/signals/", {"status": "new"})
        self.assertEqual(len(first.context["signals"]), listing.PAGE_SIZE)
        self.assertTrue(first.context["next_url"].startswith("?status=new&after=r"))
        self.assertContains(first, 'rel="next"')
        second = self.client.get("/signals/" + first.context["next_url"])
        shown = [r.reference for r in first.context["signals"]]
        shown += [r.reference for r in second.context["signals"]]
        self.assertEqual(shown, self.expected(status="new", more=more))
        self.assertEqual(len(shown), 51)
        self.assertEqual(len(shown), len(set(shown)))
        self.assertEqual(second.context["next_url"], "")
        self.assertTrue(second.context["previous_url"])
        self.assertContains(second, "Eerste pagina")

    def test_a_forged_cursor_is_said_in_dutch(self):
        self.client.force_login(self.owner)
        response = self.client.get("/signals/", {"after": "r1_%%%"}, follow=True)
        self.assertContains(response, "Die paginapositie is ongeldig")
        self.assertContains(response, self.mine[0].reference)

    def test_a_deep_page_costs_the_queries_of_the_first(self):
        self.client.force_login(self.owner)
        page = listing.signal_page(self.owner, per_page=2)
        self.client.get("/signals/")
        with CaptureQueriesContext(connection) as first:
            self.client.get("/signals/")
        with CaptureQueriesContext(connection) as deep:
            self.client.get("/signals/", {"after": page.next})
        self.assertEqual(len(first), len(deep))
        self.assertEqual(len(first), 4)  # session, user, membership, the page
