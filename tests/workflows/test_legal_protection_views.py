"""The legal-protection pages (workflows/legal_protection/views.py): every URL walked
by the cast, refused steps, kept input, double submits, CSRF, and query counts."""

from datetime import date

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from casework.models import CaseEvent, Deadline, FormSubmission
from workflows.legal_protection import selectors, services
from workflows.legal_protection.machine import LegalProtection, Outcome

from .test_legal_protection import LegalProtectionTestCase

MADE_KNOWN = date(2026, 2, 23)  # bezwaartermijn ends Tue 7 Apr 2026 (2e Paasdag)


class ViewTestCase(LegalProtectionTestCase):
    def setUp(self):
        self.protection = services.legal_protection_open(
            case=self.case,
            user=self.owner,
            decision_title="Besluit last onder dwangsom",
            decided_on=MADE_KNOWN,
        )

    def open_url(self, case=None):
        return reverse(
            "casework:legal_protection_open", args=[(case or self.case).reference]
        )

    def detail_url(self, protection=None):
        protection = protection or self.protection
        return reverse(
            "casework:legal_protection_detail",
            args=[protection.case.reference, protection.pk],
        )

    def step_url(self, name, protection=None):
        protection = protection or self.protection
        return reverse(
            "casework:legal_protection_step",
            args=[protection.case.reference, protection.pk, name],
        )

    def status_of(self, user, method, url, data=None):
        self.client.logout()
        if user is not None:
            self.login(user)
        return getattr(self.client, method)(url, data or {}).status_code

    def post_step(self, user, name, token="t-step", **data):
        self.client.logout()
        self.login(user)
        return self.client.post(self.step_url(name), {"form_token": token, **data})

    def refresh(self) -> LegalProtection:
        return LegalProtection.objects.get(pk=self.protection.pk)


class OpenPageTests(ViewTestCase):
    def test_the_open_page_walks_the_cast(self):
        expected = {
            self.owner: 200,
            self.colleague: 200,  # jurist on the team
            self.burgemeester: 404,  # signs, does not register besluiten
            self.toezicht: 404,
            self.politie_user: 404,  # partner contributor
            self.belastingdienst_user: 404,  # not on the team
            self.outsider: 404,
            self.fg: 404,
        }
        for user, status in expected.items():
            with self.subTest(user=user.username):
                self.assertEqual(self.status_of(user, "get", self.open_url()), status)
                self.assertEqual(
                    self.status_of(user, "post", self.open_url(), {}),
                    200 if status == 200 else 404,
                )

    def test_anonymous_users_go_to_the_login_page(self):
        self.client.logout()
        for url in (self.open_url(), self.detail_url()):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/accounts/login/", response["Location"])

    def test_opening_sets_the_bezwaartermijn_and_goes_to_the_new_page(self):
        self.login(self.owner)
        data = {
            "form_token": "t-open",
            "decision_title": "  Invorderingsbeschikking 1  ",
            "decision_kind": "collection",
            "decided_on": "2026-03-02",
        }
        response = self.client.post(self.open_url(), data)
        protection = LegalProtection.objects.get(
            decision_title="Invorderingsbeschikking 1"
        )
        self.assertRedirects(response, self.detail_url(protection))
        self.assertEqual(
            (protection.status, protection.decision_kind, protection.decided_on),
            ("R00", "collection", date(2026, 3, 2)),
        )
        term = selectors.protection_deadline(protection, selectors.OBJECTION_TERM_BASIS)
        self.assertEqual(term.end_date, date(2026, 4, 13))  # Mon 2 Mar + 6 weeks
        # The same form sent again opens nothing more.
        response = self.client.post(self.open_url(), data)
        self.assertRedirects(response, self.detail_url(protection))
        self.assertEqual(self.case.legal_protections.count(), 2)
        self.assertEqual(FormSubmission.objects.filter(token="t-open").count(), 1)

    def test_bad_input_is_shown_with_what_was_typed(self):
        self.login(self.owner)
        cases = [
            ({"decision_title": "Kostenbeschikking", "decided_on": "2999-01-01"},
             "decided_on"),
            ({"decision_title": "", "decided_on": "2026-03-02"}, "decision_title"),
            ({"decision_title": "Kostenbeschikking", "decided_on": "31-02-2026"},
             "decided_on"),
        ]  # fmt: skip
        for data, field in cases:
            with self.subTest(field=field, data=data):
                response = self.client.post(
                    self.open_url(),
                    {"form_token": f"t-{field}", "decision_kind": "costs", **data},
                )
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors.get(field))
                self.assertContains(response, data["decided_on"])
        self.assertEqual(self.case.legal_protections.count(), 1)

    def test_a_second_protection_against_the_same_decision_is_refused(self):
        self.login(self.owner)
        response = self.client.post(
            self.open_url(),
            {
                "form_token": "t-dup",
                "decision_title": "Besluit last onder dwangsom",
                "decision_kind": "order",
                "decided_on": "2026-03-02",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertContains(response, 'value="2026-03-02"')
        self.assertEqual(self.case.legal_protections.count(), 1)
        self.assertFalse(FormSubmission.objects.filter(token="t-dup").exists())


class DetailPageTests(ViewTestCase):
    def test_the_detail_walks_the_cast(self):
        expected = {
            self.owner: 200,
            self.colleague: 200,
            self.burgemeester: 200,  # D2 R/W(sign)
            self.toezicht: 200,  # D2 on the team
            self.invordering: 200,  # D2 R
            self.politie_user: 404,  # on the team, but D2 only for its own items
            self.belastingdienst_user: 404,
            self.outsider: 404,
            self.fg: 404,
        }
        for user, status in expected.items():
            with self.subTest(user=user.username):
                self.assertEqual(self.status_of(user, "get", self.detail_url()), status)

    def test_unknown_or_foreign_protections_are_404(self):
        other_case = self.new_case()
        other = services.legal_protection_open(
            case=other_case,
            user=self.owner,
            decision_title="Ander besluit",
            decided_on=MADE_KNOWN,
        )
        self.login(self.owner)
        wrong = reverse(
            "casework:legal_protection_detail", args=[self.case.reference, other.pk]
        )
        for url in (
            wrong,
            self.detail_url().replace(f"/{self.protection.pk}/", "/999999/"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_page_shows_status_deadlines_with_their_trail_and_history(self):
        self.login(self.owner)
        response = self.client.get(self.detail_url())
        term = selectors.protection_deadline(
            self.protection, selectors.OBJECTION_TERM_BASIS
        )
        self.assertEqual(response.context["deadlines"], [term])
        self.assertEqual(response.context["next_deadline"], term)
        self.assertContains(
            response,
            reverse("casework:deadline_detail", args=[self.case.reference, term.pk]),
        )
        self.assertContains(response, "R00")
        history = response.context["history"]
        self.assertEqual([e.to_status for e in history], ["R00"])

    def test_the_steps_are_those_the_user_may_run(self):
        def steps(user):
            self.client.logout()
            self.login(user)
            return [
                name
                for name, _l, _f in self.client.get(self.detail_url()).context["steps"]
            ]

        self.assertEqual(steps(self.owner), ["receive_objection", "become_final"])
        self.assertEqual(steps(self.colleague), ["receive_objection", "become_final"])
        self.assertEqual(steps(self.burgemeester), [])
        self.assertEqual(steps(self.toezicht), [])
        self.go(self.protection, "receive_objection")
        self.assertEqual(steps(self.burgemeester), ["decide_objection"])
        self.assertEqual(
            steps(self.owner),
            ["request_repair", "schedule_hearing", "decide_objection"],
        )

    def test_each_step_form_asks_only_what_the_step_needs(self):
        self.go(self.protection, "receive_objection")
        self.login(self.owner)
        forms = {
            name: form
            for name, _l, form in self.client.get(self.detail_url()).context["steps"]
        }
        self.assertIn("outcome", forms["decide_objection"].fields)
        self.assertNotIn("outcome", forms["schedule_hearing"].fields)
        self.assertNotIn("advisory_committee", forms["schedule_hearing"].fields)

    def test_the_objection_form_has_the_committee_box(self):
        self.login(self.owner)
        forms = {
            name: form
            for name, _l, form in self.client.get(self.detail_url()).context["steps"]
        }
        self.assertIn("advisory_committee", forms["receive_objection"].fields)
        self.assertNotIn("outcome", forms["receive_objection"].fields)

    def test_the_extension_page_of_the_beslistermijn_is_reachable(self):
        # Verdaging (Awb 7:10 lid 3) goes through the deadline's own page.
        self.go(self.protection, "receive_objection")
        term = selectors.protection_deadline(
            self.protection, selectors.DECISION_TERM_BASIS
        )
        self.login(self.owner)
        page = self.client.get(self.detail_url())
        url = reverse("casework:deadline_detail", args=[self.case.reference, term.pk])
        self.assertContains(page, url)
        self.assertContains(self.client.get(url), "extend/")
        before = term.end_date
        self.client.post(
            f"{url}extend/",
            {"days": 42, "legal_basis": "Awb 7:10 lid 3", "reason": "Verdaging."},
        )
        term.refresh_from_db()
        self.assertGreaterEqual((term.end_date - before).days, 42)

    def test_the_page_costs_a_fixed_number_of_queries(self):
        self.login(self.owner)
        url = self.detail_url()
        self.client.get(url)  # warm the content-type cache guardian reads
        # Eleven: the guard of "Mark final" reads the term it waits for
        # (Awb 6:7), once, whatever the number of steps and deadlines.
        with self.assertNumQueries(11):
            self.assertEqual(self.client.get(url).status_code, 200)
        # More steps, deadlines, history and other protections: the same count.
        for name, outcome in (
            ("receive_objection", ""),
            ("request_repair", ""),
            ("repair_received", ""),
            ("schedule_hearing", ""),
            ("receive_committee_advice", ""),
            ("decide_objection", Outcome.DISMISSED),
        ):
            self.go(self.protection, name, outcome=outcome)
        for n in range(5):
            services.legal_protection_open(
                case=self.case,
                user=self.owner,
                decision_title=f"Kostenbeschikking {n}",
                decided_on=MADE_KNOWN,
            )
        with self.assertNumQueries(11):
            response = self.client.get(url)
        self.assertEqual(len(response.context["deadlines"]), 3)
        self.assertEqual(len(response.context["history"]), 7)


class StepTests(ViewTestCase):
    def test_the_owner_records_an_objection_with_an_advisory_committee(self):
        response = self.post_step(
            self.owner,
            "receive_objection",
            advisory_committee="on",
            on="2026-04-01",
            note="Bezwaarschrift per post.",
        )
        self.assertRedirects(response, self.detail_url())
        self.assertEqual(self.refresh().status, "R10")
        term = selectors.protection_deadline(
            self.protection, selectors.DECISION_TERM_BASIS
        )
        # 12 weeks from the end of the bezwaartermijn, Tue 7 Apr 2026: Tue 30 Jun.
        self.assertEqual((term.length, term.end_date), (12, date(2026, 6, 30)))
        event = CaseEvent.objects.filter(case=self.case).latest("id")
        self.assertEqual((event.actor, event.to_status), (self.owner, "R10"))
        self.assertIn("Bezwaarschrift per post.", event.note)

    def test_posting_a_step_walks_the_cast(self):
        # At R00 only jurists on the team have a step; everyone else gets 404.
        expected = {
            self.burgemeester: 404,
            self.toezicht: 404,
            self.invordering: 404,
            self.politie_user: 404,
            self.belastingdienst_user: 404,
            self.outsider: 404,
            self.fg: 404,
            self.colleague: 302,
        }
        for user, status in expected.items():
            with self.subTest(user=user.username):
                response = self.post_step(
                    user, "receive_objection", token=f"t-{user.username}"
                )
                self.assertEqual(response.status_code, status)
        self.assertEqual(self.refresh().status, "R10")
        self.assertEqual(
            CaseEvent.objects.filter(case=self.case, to_status="R10").count(), 1
        )

    def test_the_burgemeester_decides_the_objection(self):
        self.go(self.protection, "receive_objection")
        response = self.post_step(
            self.burgemeester,
            "decide_objection",
            outcome=Outcome.UPHELD,
            on="2026-05-12",
        )
        self.assertRedirects(response, self.detail_url())
        stored = self.refresh()
        self.assertEqual((stored.status, stored.outcome), ("R30", "upheld"))
        term = selectors.protection_deadline(stored, selectors.APPEAL_TERM_BASIS)
        self.assertEqual((term.end_date, term.owner), (date(2026, 6, 23), self.owner))

    def test_the_politie_contributor_runs_no_step_at_any_stage(self):
        self.go(self.protection, "receive_objection")
        for name in ("decide_objection", "schedule_hearing", "request_repair"):
            with self.subTest(name=name):
                response = self.post_step(
                    self.politie_user, name, outcome=Outcome.UPHELD
                )
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.refresh().status, "R10")

    def test_a_step_the_user_may_not_run_is_refused_with_the_input_kept(self):
        # The burgemeester has a step at R10 (the decision), not this one.
        self.go(self.protection, "receive_objection")
        response = self.post_step(
            self.burgemeester, "schedule_hearing", note="Hoorzitting op 3 juni."
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Hoorzitting op 3 juni.")
        self.assertEqual(self.refresh().status, "R10")
        self.assertFalse(FormSubmission.objects.filter(token="t-step").exists())

    def test_a_step_no_longer_available_is_refused_with_the_input_kept(self):
        # Another jurist recorded the objection first; this page was stale.
        self.go(self.protection, "receive_objection")
        events = self.events()
        response = self.post_step(
            self.owner, "receive_objection", note="Bezwaar van de eigenaar."
        )
        self.assertEqual(response.status_code, 200)
        form = dict((n, f) for n, _l, f in response.context["steps"])[
            "receive_objection"
        ]
        self.assertTrue(form.non_field_errors())
        self.assertContains(response, "Bezwaar van de eigenaar.")
        self.assertEqual(self.events(), events)

    def test_a_decision_without_outcome_keeps_the_note(self):
        self.go(self.protection, "receive_objection")
        response = self.post_step(
            self.owner, "decide_objection", note="Gegrond wegens motiveringsgebrek."
        )
        self.assertEqual(response.status_code, 200)
        form = dict((n, f) for n, _l, f in response.context["steps"])[
            "decide_objection"
        ]
        self.assertTrue(form.errors["outcome"])
        self.assertContains(response, "Gegrond wegens motiveringsgebrek.")
        self.assertEqual(self.refresh().status, "R10")

    def test_a_future_date_is_refused(self):
        response = self.post_step(self.owner, "receive_objection", on="2999-01-01")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.refresh().status, "R00")

    def test_a_double_submit_runs_the_step_once(self):
        for _ in range(2):
            response = self.post_step(self.owner, "receive_objection", token="t-twice")
            self.assertRedirects(response, self.detail_url())
        self.assertEqual(self.refresh().status, "R10")
        self.assertEqual(
            CaseEvent.objects.filter(case=self.case, to_status="R10").count(), 1
        )
        self.assertEqual(
            Deadline.objects.filter(
                case=self.case, legal_basis=selectors.DECISION_TERM_BASIS
            ).count(),
            1,
        )

    def test_unknown_steps_and_wrong_methods(self):
        self.login(self.owner)
        for name in ("no_such_step", "save", "delete"):
            with self.subTest(name=name):
                response = self.client.post(self.step_url(name), {"form_token": "x"})
                self.assertEqual(response.status_code, 404)
        self.assertEqual(
            self.client.get(self.step_url("receive_objection")).status_code, 405
        )
        self.assertEqual(self.client.post(self.detail_url()).status_code, 405)
        self.assertEqual(self.refresh().status, "R00")

    def test_a_post_without_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.owner)
        response = client.post(self.step_url("receive_objection"), {"form_token": "t"})
        self.assertEqual(response.status_code, 403)
        response = client.post(
            self.open_url(),
            {
                "form_token": "t2",
                "decision_title": "X",
                "decision_kind": "order",
                "decided_on": "2026-03-02",
            },
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.refresh().status, "R00")
        self.assertEqual(self.case.legal_protections.count(), 1)


class PanelTests(ViewTestCase):
    def test_the_selector_reads_two_queries_whatever_the_rows(self):
        for n in range(6):
            protection = services.legal_protection_open(
                case=self.case,
                user=self.owner,
                decision_title=f"Invorderingsbeschikking {n}",
                decided_on=MADE_KNOWN,
            )
            self.go(protection, "receive_objection")
        with self.assertNumQueries(2):
            rows = selectors.legal_protections_for_case(self.case)
        self.assertEqual(len(rows), 7)
        # Newest first; each row's next deadline is its running term.
        self.assertEqual(rows[-1].pk, self.protection.pk)
        self.assertEqual(rows[-1].next_deadline.legal_basis, "Awb 6:7, 6:8")
        self.assertEqual(rows[0].next_deadline.legal_basis, "Awb 7:10 lid 1")
        self.assertEqual(rows[0].status, "R10")

    def test_the_panel_links_each_protection_and_its_next_deadline(self):
        rows = selectors.legal_protections_for_case(self.case)
        html = render_to_string(
            "legal_protection/_panel.html",
            {
                "case": self.case,
                "legal_protections": rows,
                "can_open_legal_protection": True,
            },
        )
        self.assertIn(self.detail_url(), html)
        self.assertIn(self.open_url(), html)
        term = rows[0].next_deadline
        self.assertIn(
            reverse("casework:deadline_detail", args=[self.case.reference, term.pk]),
            html,
        )
        self.assertIn("R00", html)

    def test_the_panel_is_empty_for_readers_without_d2(self):
        read = selectors.may_read_legal_protection
        self.assertIs(read(self.politie_user, self.case), False)
        self.assertIs(read(self.burgemeester, self.case), True)
        # The decision point asks the team too: off the team, nothing.
        self.assertIs(read(self.outsider, self.case), False)
        html = render_to_string(
            "legal_protection/_panel.html",
            {"case": self.case, "legal_protections": None},
        )
        self.assertEqual(html.strip(), "")
