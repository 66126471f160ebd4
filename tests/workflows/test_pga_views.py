"""The PGA pages (issue 7): the case file, the network picture, the referral
form, the Top X list and the FG's shielded files — each against the
casusregisseur who owns the case, a partner on the team, another partner's
user and an outsider (404), through the real views and services."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from casework.models import Case, Party
from permissions.models import AccessLog, DataClass, Organisation, Role
from tests.base import BaseTestCase
from tests.case_types import CaseType
from tests.factories import OrganisationFactory, valid_bsn
from workflows.pga import services as svc
from workflows.pga.models import (
    HealthItem,
    Intervention,
    InterventionKind,
    LifeDomain,
    PgaReferral,
    Relation,
    TopXCriterion,
)

TODAY = timezone.localdate


class PgaViewTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.zorg = OrganisationFactory(name="Veilig Thuis", kind=Organisation.Kind.ZORG)
        cls.regisseur = cls.make_user("regisseur", Role.CASUSREGISSEUR, cls.gemeente)
        cls.other_regisseur = cls.make_user(
            "regisseur2", Role.CASUSREGISSEUR, cls.gemeente
        )
        cls.om_user = cls.make_user("om", Role.PARTNER, cls.om)
        cls.zorg_user = cls.make_user("zorg", Role.PARTNER, cls.zorg)
        cls.pga = svc.referral_register(
            user=cls.regisseur,
            person=Party(kind=Party.Kind.PERSON, name="Jan Peters", bsn=valid_bsn(7)),
            reporter=cls.politie,
            received_on=TODAY() - timedelta(days=3),
            reason="Overlast en drugshandel vanuit de woning",
            goal="Stabiliseren en stoppen met dealen",
            informed=True,
        )
        # Accepted in triage: only then are participants selected (WGS 2.31
        # lid 2-4). Set directly, like the other states these tests need.
        Case.objects.filter(pk=cls.pga.pk).update(status="D30")
        for org, members, basis in (
            (cls.politie, [cls.politie_user], "Politiewet art. 3"),
            (cls.zorg, [cls.zorg_user], "Wmo 2015"),
        ):
            svc.participant_add(
                case=cls.pga,
                user=cls.regisseur,
                organisation=org,
                legal_basis=basis,
                members=members,
            )
        svc.participant_add(
            case=cls.pga,
            user=cls.regisseur,
            organisation=cls.gemeente,
            legal_basis="Gemeentewet art. 172",
        )
        cls.police_step = svc.intervention_add(
            case=cls.pga,
            user=cls.regisseur,
            organisation=cls.politie,
            owner=cls.politie_user,
            kind=InterventionKind.DWANG_STRAF,
            description="Gebiedsverbod handhaven",
            legal_basis="Sv art. 38v",
            due_on=TODAY() + timedelta(days=30),
        )
        cls.care_step = svc.intervention_add(
            case=cls.pga,
            user=cls.regisseur,
            organisation=cls.zorg,
            owner=cls.zorg_user,
            kind=InterventionKind.ZORG,
            description="Traject verslavingszorg",
            legal_basis="Wmo 2015 art. 2.3.5",
            due_on=TODAY() + timedelta(days=60),
        )

    def url(self, name="pga_dossier", case=None):
        return reverse(f"casework:{name}", args=[(case or self.pga).reference])

    def post(self, action, data, case=None):
        return self.client.post(
            self.url(case=case),
            {
                "action": action,
                "form_token": f"t-{action}-{len(data)}-{id(data)}",
                **data,
            },
        )


class DossierAccessTests(PgaViewTestCase):
    def test_the_casusregisseur_sees_the_whole_file(self):
        self.login(self.regisseur)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Gebiedsverbod handhaven")
        self.assertContains(response, "Traject verslavingszorg")
        self.assertContains(response, "Jan Peters")
        # The selection folded to a link; the link opens the form.
        self.assertContains(response, 'href="?form=participant#form-participant"')
        self.assertNotContains(response, 'value="participant"')
        opened = self.client.get(self.url() + "?form=participant")
        self.assertContains(opened, 'value="participant"')

    def test_a_partner_on_the_team_sees_only_its_own_interventions(self):
        self.login(self.politie_user)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Gebiedsverbod handhaven")
        self.assertNotContains(response, "Traject verslavingszorg")
        self.assertNotContains(response, "form=participant")
        # Asking for the casusregisseur's form does not make it.
        opened = self.client.get(self.url() + "?form=participant")
        self.assertEqual(opened.status_code, 200)
        self.assertNotContains(opened, 'value="participant"')

    def test_another_partner_and_an_outsider_get_404(self):
        for user in (self.om_user, self.other_regisseur, self.outsider, self.fg):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url()).status_code, 404)
                self.assertEqual(
                    self.client.get(self.url("pga_network")).status_code, 404
                )

    def test_a_non_pga_case_has_no_file(self):
        self.login(self.owner)
        self.assertEqual(self.client.get(self.url(case=self.case)).status_code, 404)

    def test_reading_the_file_is_logged(self):
        self.login(self.politie_user)
        before = AccessLog.objects.filter(case_id=self.pga.pk).count()
        self.client.get(self.url())
        rows = AccessLog.objects.filter(case_id=self.pga.pk, data_class=DataClass.D10)
        self.assertEqual(rows.count(), before + 1)
        self.assertEqual(rows.first().username, "politie")

    def test_the_query_count_does_not_grow_with_the_interventions(self):
        self.login(self.regisseur)
        self.client.get(self.url())  # warm the session and content types

        def count():
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                self.client.get(self.url())
            return len(queries)

        before = count()
        for n in range(3):
            svc.intervention_add(
                case=self.pga, user=self.regisseur, organisation=self.politie,
                owner=self.politie_user, kind=InterventionKind.DRANG,
                description=f"Extra {n}", legal_basis="Politiewet art. 3",
                due_on=TODAY() + timedelta(days=10),
            )  # fmt: skip
        self.assertEqual(count(), before)


class DossierActionTests(PgaViewTestCase):
    def test_the_casusregisseur_adds_a_goal(self):
        self.login(self.regisseur)
        response = self.post(
            "goal", {"life_domain": LifeDomain.HOUSING, "description": "Vaste woonplek"}
        )
        self.assertRedirects(response, self.url())
        self.assertTrue(
            self.pga.pga_goals.filter(description="Vaste woonplek").exists()
        )

    def test_a_partner_cannot_post_a_casusregisseur_form(self):
        self.login(self.politie_user)
        response = self.post(
            "goal", {"life_domain": LifeDomain.HOUSING, "description": "X"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.pga.pga_goals.exists())

    def test_a_partner_reports_progress_on_its_own_intervention_only(self):
        # The plan adopted and carried out (WGS 2.31 lid 5).
        Case.objects.filter(pk=self.pga.pk).update(status="D60")
        self.login(self.politie_user)
        response = self.post(
            "intervention-update",
            {
                "intervention": self.police_step.pk,
                "status": Intervention.Status.RUNNING,
                "progress": "Verbod uitgereikt",
            },
        )
        self.assertRedirects(response, self.url())
        self.police_step.refresh_from_db()
        self.assertEqual(self.police_step.progress, "Verbod uitgereikt")
        response = self.post(
            "intervention-update",
            {
                "intervention": self.care_step.pk,
                "status": Intervention.Status.STOPPED,
                "progress": "Overgenomen",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "U mag deze zaak niet wijzigen")
        self.care_step.refresh_from_db()
        self.assertEqual(self.care_step.status, Intervention.Status.PLANNED)

    def test_a_row_form_sent_back_is_open_with_what_was_typed(self):
        """A folded row form with an invalid field: that row's form open with
        the error and the text kept, the other rows' forms folded, nothing
        saved."""
        Case.objects.filter(pk=self.pga.pk).update(status="D60")
        self.login(self.regisseur)
        response = self.post(
            "intervention-update",
            {"intervention": self.police_step.pk, "status": "nonsense",
             "progress": "Half <gedaan>"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 200)
        police = f"intervention-update-{self.police_step.pk}"
        care = f"intervention-update-{self.care_step.pk}"
        self.assertContains(response, f'<details open id="form-{police}">')
        self.assertContains(response, "Selecteer een geldige keuze")
        self.assertContains(response, "Half &lt;gedaan&gt;")
        self.assertContains(response, f'href="?form={care}#form-{care}"')
        self.assertNotContains(response, f'id="form-{care}"')
        self.police_step.refresh_from_db()
        self.assertEqual(self.police_step.progress, "")
        # Opened by its link, the row's form holds the row's values.
        page = self.client.get(f"{self.url()}?form={care}")
        self.assertContains(page, f'<details open id="form-{care}">')
        self.assertContains(page, f'name="intervention" value="{self.care_step.pk}"')
        self.assertNotContains(page, f'id="form-{police}"')

    def test_an_unknown_or_hostile_form_name_shows_the_page_without_forms(self):
        self.login(self.regisseur)
        for value in ("nonsense", "goal-999999", "<script>", "\x00", "x" * 5000):
            with self.subTest(value=value[:20]):
                response = self.client.get(self.url(), {"form": value})
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "<details open")
                self.assertContains(response, 'href="?form=goal#form-goal"')

    def test_an_intervention_for_a_partner_not_selected_is_refused_in_dutch(self):
        self.login(self.regisseur)
        response = self.post(
            "intervention",
            {
                "organisation": self.om.pk,
                "owner": self.om_user.pk,
                "kind": InterventionKind.DWANG_STRAF,
                "description": "Vervolging",
                "legal_basis": "Sv",
                "due_on": (TODAY() + timedelta(days=5)).isoformat(),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Intervention.objects.filter(description="Vervolging").exists())

    def test_a_care_partner_records_health_data_and_the_politie_cannot_read_it(self):
        self.login(self.zorg_user)
        response = self.post(
            "health",
            {
                "text": "Behandeling bij GGZ gestart",
                "basis": HealthItem.Basis.CONSENT,
                "consent_on": TODAY().isoformat(),
                "shared_with": [self.gemeente.pk],
            },
        )
        self.assertRedirects(response, self.url())
        self.assertContains(self.client.get(self.url()), "Behandeling bij GGZ gestart")
        self.login(self.regisseur)
        self.assertContains(self.client.get(self.url()), "Behandeling bij GGZ gestart")
        self.login(self.politie_user)
        self.assertNotContains(self.client.get(self.url()), "Behandeling bij GGZ")

    def test_consent_without_a_date_is_refused_in_dutch_and_nothing_is_saved(self):
        self.login(self.zorg_user)
        response = self.post(
            "health", {"text": "Diagnose", "basis": HealthItem.Basis.CONSENT}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "toestemming")
        self.assertFalse(HealthItem.objects.exists())

    def test_the_same_form_twice_saves_once(self):
        self.login(self.regisseur)
        data = {
            "action": "goal",
            "form_token": "same-token",
            "life_domain": LifeDomain.WORK,
            "description": "Dagbesteding",
        }
        self.client.post(self.url(), data)
        self.client.post(self.url(), data)
        self.assertEqual(
            self.pga.pga_goals.filter(description="Dagbesteding").count(), 1
        )


class NetworkTests(PgaViewTestCase):
    def test_the_network_shows_only_cases_the_reader_may_see(self):
        brother = Party.objects.create(kind=Party.Kind.PERSON, name="Kees Peters")
        Relation.objects.create(
            case=self.pga,
            subject=svc.person_of(self.pga),
            other=brother,
            kind=Relation.Kind.FAMILY,
            recorded_by=self.regisseur,
        )
        # A case about the brother that the casusregisseur is not on.
        hidden = svc.referral_register(
            user=self.other_regisseur,
            person=brother,
            reporter=self.politie,
            received_on=TODAY(),
            reason="x",
            goal="y",
            informed=True,
        )
        self.login(self.regisseur)
        response = self.client.get(self.url("pga_network"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kees Peters")
        self.assertContains(response, "<svg")
        # SVG coordinates are plain numbers, not localised ("380,0").
        self.assertRegex(
            response.content.decode(), r'<ellipse class="node" cx="\d+\.\d"'
        )
        self.assertNotRegex(response.content.decode(), r'c[xy]="\d+,\d')
        self.assertNotContains(response, hidden.reference)
        self.login(self.other_regisseur)
        self.assertEqual(self.client.get(self.url("pga_network")).status_code, 404)

    def test_a_partner_has_no_network_view(self):
        self.login(self.politie_user)
        self.assertEqual(self.client.get(self.url("pga_network")).status_code, 404)


class ReferralFormTests(PgaViewTestCase):
    def form(self, **changes):
        data = {
            "form_token": "ref-1",
            "name": "Piet Janssen",
            "date_of_birth": "1990-04-02",
            "bsn": valid_bsn(11),
            "reporter": self.politie.pk,
            "received_on": TODAY().isoformat(),
            "reason": "Meervoudige problematiek",
            "goal": "Gezamenlijk plan",
            "informed": "on",
        }
        data.update(changes)
        return data

    def test_the_casusregisseur_registers_a_referral(self):
        self.login(self.regisseur)
        response = self.client.post(reverse("casework:pga_referral_new"), self.form())
        case = Case.objects.filter(case_type=CaseType.PGA).latest("id")
        # Next: the acknowledgement to the reporter, prefilled.
        letter = reverse("casework:document_create", args=[case.reference])
        self.assertRedirects(response, f"{letter}?template=aanmeldbevestiging_pga")
        self.assertContains(self.client.get(response.url), "Politie Eenheid Limburg")
        self.assertEqual(case.status, "D00")
        self.assertEqual(PgaReferral.objects.get(case=case).reporter, self.politie)
        self.assertEqual(svc.person_of(case).name, "Piet Janssen")

    def test_bad_input_gives_dutch_errors_and_saves_nothing(self):
        self.login(self.regisseur)
        before = Case.objects.count()
        for changes, text in (
            ({"bsn": "123456789"}, "elfproef"),
            ({"received_on": "31-02-2026"}, "geldige datum"),
            ({"informed": ""}, "niet is ingelicht"),
            ({"reporter": self.belastingdienst.pk}, "geldige keuze"),
        ):
            with self.subTest(changes=changes):
                response = self.client.post(
                    reverse("casework:pga_referral_new"),
                    self.form(form_token=f"bad-{text}", **changes),
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, text)
        self.assertEqual(Case.objects.count(), before)

    def test_only_a_casusregisseur_registers_referrals(self):
        for user in (self.politie_user, self.owner, self.fg):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(reverse("casework:pga_referral_new"))
                self.assertEqual(response.status_code, 404)


class TopXAndShieldedTests(PgaViewTestCase):
    def test_the_top_x_page_lists_criteria_and_only_visible_placements(self):
        criterion = TopXCriterion.objects.create(
            code="TX1", text="Drie of meer HIC-feiten", published_on=date(2026, 1, 1)
        )
        case = svc.referral_register(
            user=self.regisseur,
            person=Party(kind=Party.Kind.PERSON, name="Tom Top"),
            reporter=self.politie,
            received_on=TODAY(),
            reason="r",
            goal="g",
            informed=True,
        )
        from casework.services import case_transition

        case_transition(case=case, name="mark_top_x_candidate", user=self.regisseur)
        svc.top_x_place(
            case=case, user=self.regisseur, criteria=[criterion], reason="HIC"
        )
        self.login(self.regisseur)
        response = self.client.get(reverse("casework:pga_top_x"))
        self.assertContains(response, "Drie of meer HIC-feiten")
        self.assertContains(response, case.reference)
        self.login(self.other_regisseur)
        response = self.client.get(reverse("casework:pga_top_x"))
        self.assertContains(response, "Drie of meer HIC-feiten")
        self.assertNotContains(response, case.reference)

    def test_closing_shields_the_file_and_only_the_fg_reads_it(self):
        case = Case.objects.get(pk=self.pga.pk)
        Case.objects.filter(pk=case.pk).update(status="D85")
        self.login(self.regisseur)
        response = self.client.post(
            reverse("casework:case_step", args=[case.reference, "close"]),
            {
                "form_token": "close-1",
                "closure_report": "Doelen bereikt",
                "closed_on": TODAY().isoformat(),
            },
        )
        self.assertRedirects(response, reverse("casework:home"))
        self.assertEqual(Case.objects.get(pk=case.pk).status, "D90")
        for user in (self.regisseur, self.politie_user, self.zorg_user):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url()).status_code, 404)
                self.assertEqual(
                    self.client.get(case.get_absolute_url()).status_code, 404
                )
        shielded = reverse("casework:pga_shielded_case", args=[case.reference])
        for user in (self.regisseur, self.owner):
            self.login(user)
            self.assertEqual(self.client.get(shielded).status_code, 404)
        self.login(self.fg)
        self.assertContains(
            self.client.get(reverse("casework:pga_shielded")), case.reference
        )
        response = self.client.get(shielded)
        self.assertContains(response, "Jan Peters")
        # The afsluitingsverslag was made before the file was shielded.
        self.assertContains(response, "Afsluitingsverslag")
        self.assertTrue(
            AccessLog.objects.filter(
                case_id=case.pk, username="fg", purpose_code="shielded-review"
            ).exists()
        )


class RetentionHoldTests(PgaViewTestCase):
    def test_the_fg_records_a_hold_and_the_sweep_keeps_the_file(self):
        from casework.services import case_transition  # noqa: F401
        from casework.steps import step_run

        Case.objects.filter(pk=self.pga.pk).update(status="D85")
        step_run(
            case=Case.objects.get(pk=self.pga.pk), name="close", user=self.regisseur,
            data={"closure_report": "Afgerond"}, note="Afgerond",
        )  # fmt: skip
        url = reverse("casework:pga_shielded_case", args=[self.pga.reference])
        for user in (self.regisseur, self.owner):
            self.login(user)
            response = self.client.post(url, {"retention_hold": "Klacht"})
            self.assertEqual(response.status_code, 404)
        self.login(self.fg)
        response = self.client.post(url, {"retention_hold": "Beroepszaak loopt"})
        self.assertRedirects(response, url)
        referral = PgaReferral.objects.get(case=self.pga)
        self.assertEqual(referral.retention_hold, "Beroepszaak loopt")
        self.assertTrue(
            AccessLog.objects.filter(
                case_id=self.pga.pk, purpose_code="retention-hold"
            ).exists()
        )
        later = referral.retention_until + timedelta(days=1)
        result = svc.retention_sweep(today=later)
        self.assertEqual(result.held, [self.pga.reference])
        self.assertEqual(Case.objects.get(pk=self.pga.pk).status, "D90")


class NextStepHintTests(PgaViewTestCase):
    def test_the_file_says_what_the_next_step_still_needs(self):
        from casework.services import case_transition

        case = svc.referral_register(
            user=self.regisseur,
            person=Party(kind=Party.Kind.PERSON, name="Lars Lemmens"),
            reporter=self.politie,
            received_on=TODAY(),
            reason="r",
            goal="g",
            informed=True,
        )
        for name in ("start_screening", "to_triage"):
            case_transition(case=case, name=name, user=self.regisseur)
        from casework.steps import step_run

        step_run(case=case, name="accept", user=self.regisseur,
                 data={"triage_report": "Past"})  # fmt: skip
        self.login(self.regisseur)
        response = self.client.get(self.url(case=case))
        self.assertContains(response, "Selecteer ten minste één deelnemer.")
        self.assertContains(response, "Wijs de casusregisseur toe.")
        svc.participant_add(
            case=case, user=self.regisseur, organisation=self.politie,
            legal_basis="Politiewet", members=[self.politie_user],
        )  # fmt: skip
        svc.directors_assign(
            case=case, user=self.regisseur, case_director=self.regisseur
        )
        response = self.client.get(self.url(case=case))
        self.assertNotContains(response, "Voor de volgende stap")
        self.login(self.politie_user)
        self.assertNotContains(self.client.get(self.url(case=case)), "Voor de volgende")

    def test_rejecting_opens_the_afwijzing_letter_of_the_new_status(self):
        """The step page sends the casusregisseur on to the letter the step
        calls for; the letter is offered once the case is rejected (D25), so
        the page asks the case as the step left it, not as it was before."""
        from casework.services import case_transition

        case = svc.referral_register(
            user=self.regisseur,
            person=Party(kind=Party.Kind.PERSON, name="Lars Lemmens"),
            reporter=self.politie,
            received_on=TODAY(),
            reason="r",
            goal="g",
            informed=True,
        )
        for name in ("start_screening", "to_triage"):
            case_transition(case=case, name=name, user=self.regisseur)
        self.login(self.regisseur)
        response = self.client.post(
            f"/cases/{case.reference}/step/reject/",
            {
                "form_token": "reject-1",
                "advice": "Aanmelden bij het sociaal wijkteam.",
                "note": "Geen meervoudige problematiek.",
            },
        )
        self.assertRedirects(
            response,
            f"/cases/{case.reference}/documents/new/?template=afwijzing_pga",
            fetch_redirect_response=False,
        )


class ParticipantsOnlyThroughTheCaseFileTests(PgaViewTestCase):
    def test_the_generic_team_form_is_refused_for_a_pga_case(self):
        from django.core.exceptions import ValidationError

        from casework import services

        with self.assertRaises(ValidationError):
            services.case_team_add(
                case=self.pga, user=self.regisseur, member=self.om_user,
                team_role="contributor",
            )  # fmt: skip
        self.assertFalse(Case.objects.for_user(self.om_user).filter(pk=self.pga.pk))
        self.login(self.regisseur)
        response = self.client.get(self.pga.get_absolute_url())
        self.assertContains(response, "Deelnemers selecteren in het casusdossier")
        self.assertNotContains(
            response, reverse("casework:case_add_team", args=[self.pga.reference])
        )

    def test_ending_a_participation_ends_its_users_access(self):
        participant = self.pga.pga_participants.get(organisation=self.politie)
        self.login(self.regisseur)
        response = self.post("participant-remove", {"participant": participant.pk})
        self.assertRedirects(response, self.url())
        self.assertFalse(self.pga.pga_participants.filter(organisation=self.politie))
        self.login(self.politie_user)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_a_goal_is_marked_achieved(self):
        goal = svc.goal_add(
            case=self.pga, user=self.regisseur, life_domain=LifeDomain.WORK,
            description="Dagbesteding",
        )  # fmt: skip
        self.login(self.regisseur)
        self.post("goal-achieved", {"goal": goal.pk})
        goal.refresh_from_db()
        self.assertTrue(goal.achieved)


class SignalToPgaTests(PgaViewTestCase):
    def test_a_case_opened_from_a_signal_gets_its_referral_and_no_supplier(self):
        from casework import services
        from casework.models import Signal

        signal = services.signal_register(
            user=self.politie_user, source=Signal.Source.BESTUURLIJKE_RAPPORTAGE,
            received_on=TODAY() - timedelta(days=4), summary="Zorgen om jongere",
            data_class=DataClass.D3, legal_basis="Wpg 20 lid 3",
            shared_with=[self.gemeente],
        )  # fmt: skip
        case = services.signal_convert(
            signal=signal, user=self.regisseur, case_type=CaseType.PGA, title="PGA X"
        )
        referral = PgaReferral.objects.get(case=case)
        self.assertEqual(
            (referral.reporter, referral.received_on, referral.reason),
            (self.politie, signal.received_on, "Zorgen om jongere"),
        )
        self.assertFalse(Case.objects.for_user(self.politie_user).filter(pk=case.pk))


class ClosedFileTests(PgaViewTestCase):
    def test_a_rejected_file_takes_no_new_data(self):
        from django.core.exceptions import ValidationError

        Case.objects.filter(pk=self.pga.pk).update(status="D25")
        with self.assertRaises(ValidationError):
            svc.goal_add(case=self.pga, user=self.regisseur,
                         life_domain=LifeDomain.WORK, description="x")  # fmt: skip
        with self.assertRaises(ValidationError):
            svc.intervention_update(
                intervention=self.police_step, user=self.politie_user,
                status=Intervention.Status.DONE, progress="x",
            )  # fmt: skip
        self.login(self.regisseur)
        response = self.client.get(self.url())
        self.assertContains(response, "Dit casusdossier is gesloten")
        self.assertNotContains(response, 'value="goal"')

    def test_only_care_participants_record_health_data(self):
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            svc.health_item_add(case=self.pga, user=self.politie_user, text="x",
                                basis=HealthItem.Basis.NONE)  # fmt: skip
        health = self.url() + "?form=health"
        self.login(self.politie_user)
        self.assertNotContains(self.client.get(self.url()), "form=health")
        self.assertNotContains(self.client.get(health), 'value="health"')
        self.login(self.zorg_user)
        link = 'href="?form=health#form-health"'
        self.assertContains(self.client.get(self.url()), link)
        self.assertContains(self.client.get(health), 'value="health"')
