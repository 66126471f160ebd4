"""The Bibob dossier pages (workflows/bibob/views.py): the coordinator logs
sources and records the conclusion, the burgemeester reads, every read is
logged. The package registers them under `cases/<reference>/bibob/`."""

from datetime import date

from casework.idempotency import new_token
from casework.models import CaseEvent
from permissions.models import AccessLog, DataClass
from workflows.bibob.models import BibobConclusion, BibobSource

from .test_bibob_states import INVESTIGATED, SCREENED, BibobTestCase


class BibobDossierPageTests(BibobTestCase):
    def url(self, tail=""):
        return f"/cases/{self.case.reference}/bibob/{tail}"

    def post_source(self, user, **extra):
        self.login(user)
        data = {
            "form_token": new_token(),
            "kind": "politie",
            "consulted_on": "2026-03-03",
            "legal_basis": "",
            "finding": "Twee registraties witwassen 2024.",
            **extra,
        }
        return self.client.post(self.url("sources/add/"), data)

    def test_who_reads_and_who_writes_the_dossier(self):
        self.go([*SCREENED, ("receive_form", "bibob", "B30")])
        expected = {
            self.bibob: (200, 200),
            self.bibob2: (200, 200),
            self.burgemeester: (200, 404),  # reads, does not write
            self.owner: (404, 404),
            self.fg: (404, 404),
        }
        for user, (read, write) in expected.items():
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url()).status_code, read)
                response = self.client.get(self.url("sources/add/"))
                self.assertEqual(response.status_code, write)

    def test_a_source_is_logged_with_its_usual_legal_basis(self):
        self.go([*SCREENED, ("receive_form", "bibob", "B30")])
        response = self.post_source(self.bibob)
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        source = BibobSource.objects.get(case=self.case)
        self.assertEqual(
            (source.kind, source.legal_basis, source.consulted_on),
            ("politie", "Bpg art 4:3 lid 1 onder l", date(2026, 3, 3)),
        )
        # The history says a source was logged, never what it showed.
        note = CaseEvent.objects.filter(case=self.case).latest("id").note
        self.assertIn("Bpg art 4:3", note)
        self.assertNotIn("witwassen", note)

    def test_a_double_submit_logs_the_source_once(self):
        self.go([*SCREENED, ("receive_form", "bibob", "B30")])
        self.login(self.bibob)
        data = {
            "form_token": new_token(),
            "kind": "kvk",
            "consulted_on": "2026-03-03",
            "finding": "Geen bijzonderheden.",
        }
        self.client.post(self.url("sources/add/"), data)
        self.client.post(self.url("sources/add/"), data)
        self.assertEqual(BibobSource.objects.filter(case=self.case).count(), 1)

    def test_no_sources_before_the_own_investigation(self):
        self.go(SCREENED)
        response = self.post_source(self.bibob)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(BibobSource.objects.exists())

    def test_the_conclusion_needs_ground_and_proportionality_for_danger(self):
        self.go(INVESTIGATED)
        self.login(self.bibob)
        data = {"form_token": new_token(), "degree": "ernstig",
                "concluded_on": "2026-03-06"}  # fmt: skip
        response = self.client.post(self.url("conclusion/"), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(BibobConclusion.objects.exists())
        data.update(form_token=new_token(), ground_b="on",
                    proportionality="Ernst en omvang wegen zwaarder.")  # fmt: skip
        response = self.client.post(self.url("conclusion/"), data)
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        conclusion = BibobConclusion.objects.get(case=self.case)
        self.assertEqual((conclusion.degree, conclusion.ground_b), ("ernstig", True))

    def test_every_read_of_the_dossier_is_logged(self):
        self.go(INVESTIGATED)
        source = BibobSource.objects.get(case=self.case)
        self.login(self.burgemeester)
        before = AccessLog.objects.count()
        response = self.client.get(self.url())
        self.assertContains(response, source.finding)
        rows = AccessLog.objects.order_by("id")[before:]
        self.assertEqual(
            [(r.username, r.object_type, r.object_id, r.data_class, r.result)
             for r in rows],
            [("burgemeester", "bibobsource", str(source.pk), DataClass.D5, "ok")],
        )  # fmt: skip

    def test_the_decision_term_can_be_extended_from_the_dossier(self):
        self.go(SCREENED)
        self.login(self.bibob)
        response = self.client.post(
            self.url("term/extend/"),
            {"form_token": new_token(), "weeks": "6", "reason": "Complex"},
        )
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        response = self.client.get(self.url())
        # Received 02-02-2026: 30-03-2026 + 6 weeks = Mon 11-05-2026.
        self.assertEqual(response.context["decision_term"].end_date, date(2026, 5, 11))
