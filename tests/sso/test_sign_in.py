"""Issue 15 item 2: sign-in through an organisation's OpenID Connect provider,
end to end against a real provider process (tests/sso/oidc.py): real codes,
real RS256 tokens, the provider's real JWKS. Organisation and role come from
the beheerder's mapping on every sign-in; whatever maps to nothing, or comes
with a token that is not this provider's for this client, gets no access."""

import os
from unittest import mock

from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse

from casework import services
from permissions.models import CaseAccess, Membership, Organisation, Role
from permissions.services import team_remove
from sso.models import ClaimMapping, ExternalIdentity, IdentityProvider
from tests.factories import CaseFactory, OrganisationFactory, UserFactory

from .base import POLITIE, ProviderMixin

User = get_user_model()

JURIST_CLAIMS = {
    "role": "handhaving",
    "preferred_username": "jdevries",
    "given_name": "Jan",
    "family_name": "de Vries",
    "email": "j.devries@venlo.example",
}


def account(username) -> User:
    return ExternalIdentity.objects.get(user__username=username).user


class SignInTestCase(ProviderMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_organisations_and_provider()

    def assertSignedIn(self, response):
        self.assertEqual(response.status_code, 302, response.content[:1000])
        self.assertEqual(response["Location"], "/")
        return User.objects.get(pk=self.client.session[SESSION_KEY])

    def assertRefused(self, response, status, text):
        self.assertEqual(response.status_code, status)
        self.assertContains(response, text, status_code=status)
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertEqual(self.client.get("/").status_code, 302)  # to the login


class MappedUserTests(SignInTestCase):
    def test_a_mapped_user_gets_an_account_with_organisation_and_role(self):
        user = self.assertSignedIn(self.sign_in("jdevries", JURIST_CLAIMS))
        self.assertEqual(user.username, "gemeente.jdevries")
        self.assertEqual((user.first_name, user.last_name), ("Jan", "de Vries"))
        self.assertEqual(user.email, "j.devries@venlo.example")
        self.assertFalse(user.has_usable_password())
        self.assertFalse(user.is_staff or user.is_superuser)
        self.assertEqual(user.membership.organisation, self.gemeente)
        self.assertEqual(user.membership.role, Role.JURIST)
        self.assertEqual(
            self.client.session["_auth_user_backend"], "sso.backends.ProviderBackend"
        )
        response = self.client.get("/")
        self.assertContains(response, "Mijn werk")

    def test_the_next_page_is_kept(self):
        self.provider.put_user("jdevries", JURIST_CLAIMS)
        authorize = self.start(next_url="/search/")
        response = self.client.get(self.back_from_provider(authorize, "jdevries"))
        self.assertRedirects(response, "/search/", fetch_redirect_response=False)

    def test_a_partner_sees_its_own_case_and_not_another_partners(self):
        user = self.assertSignedIn(
            self.sign_in(
                "agent", {"groups": ["medewerkers", "politie-liaison"]}, slug=POLITIE
            )
        )
        self.assertEqual(user.membership.organisation, self.politie)
        self.assertEqual(user.membership.role, Role.PARTNER)
        jurist = UserFactory(role=Role.JURIST, organisation=self.gemeente)
        ours, theirs = CaseFactory(owner=jurist), CaseFactory(owner=jurist)
        fiscal = UserFactory(role=Role.PARTNER, organisation=self.belastingdienst)
        for case, member in ((ours, user), (theirs, fiscal)):
            services.case_team_add(
                case=case,
                user=jurist,
                member=member,
                team_role=CaseAccess.TeamRole.CONTRIBUTOR,
            )
        url = "casework:case_detail"
        response = self.client.get(reverse(url, args=[ours.reference]))
        self.assertContains(response, ours.reference)
        response = self.client.get(reverse(url, args=[theirs.reference]))
        self.assertEqual(response.status_code, 404)

    def test_a_role_change_at_the_provider_counts_at_the_next_sign_in(self):
        first = self.assertSignedIn(self.sign_in("jdevries", JURIST_CLAIMS))
        self.client.post("/accounts/logout/")
        claims = {**JURIST_CLAIMS, "role": "toezicht"}
        second = self.assertSignedIn(self.sign_in("jdevries", claims))
        self.assertEqual(second.pk, first.pk)
        self.assertEqual(Membership.objects.get(user=second).role, Role.TOEZICHT)
        self.assertEqual(
            User.objects.filter(username__startswith="gemeente.").count(), 1
        )

    def test_a_local_account_of_the_same_name_and_address_is_not_taken_over(self):
        local = UserFactory(
            username="gemeente.jdevries", role=Role.BIBOB, organisation=self.gemeente
        )
        local.email = JURIST_CLAIMS["email"]
        local.save()
        user = self.assertSignedIn(self.sign_in("jdevries", JURIST_CLAIMS))
        self.assertNotEqual(user.pk, local.pk)
        self.assertEqual(user.username, "gemeente.jdevries-2")
        self.assertEqual(Membership.objects.get(user=local).role, Role.BIBOB)

    def test_an_account_of_the_provider_has_no_password_login(self):
        user = self.assertSignedIn(self.sign_in("jdevries", JURIST_CLAIMS))
        self.client.logout()
        user.set_password("via-de-resetlink-2026")  # the beheerder's reset link
        user.save()
        response = self.client.post(
            "/accounts/login/",
            {"username": user.username, "password": "via-de-resetlink-2026"},
        )
        self.assertEqual(response.status_code, 200)  # the form again
        self.assertNotIn(SESSION_KEY, self.client.session)
        local = UserFactory(role=Role.JURIST, organisation=self.gemeente)
        response = self.client.post(
            "/accounts/login/", {"username": local.username, "password": "x"}
        )
        self.assertEqual(response.status_code, 302)

    @override_settings(CASEWORK_OTP_REQUIRED_ROLES=frozenset({Role.PARTNER}))
    def test_no_local_second_factor_after_the_provider(self):
        self.assertSignedIn(
            self.sign_in("agent", {"groups": ["politie-liaison"]}, slug=POLITIE)
        )
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        # A local partner account still owes it.
        local = UserFactory(role=Role.PARTNER, organisation=self.politie)
        self.client.force_login(
            local, backend="django.contrib.auth.backends.ModelBackend"
        )
        self.assertRedirects(
            self.client.get("/"), "/accounts/otp/setup/?next=/", target_status_code=200
        )

    def test_required_acr(self):
        self.idp.required_acr = "mfa"
        self.idp.save()
        with self.assertLogs("sso.backends", "WARNING"):
            response = self.sign_in("jdevries", JURIST_CLAIMS)
        self.assertRefused(response, 403, "tweede factor")
        self.assertSignedIn(self.sign_in("jdevries", {**JURIST_CLAIMS, "acr": "mfa"}))

    def test_the_provider_logout_is_asked_for(self):
        self.assertSignedIn(self.sign_in("jdevries", JURIST_CLAIMS))
        response = self.client.post("/accounts/logout/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            response["Location"].startswith(self.provider.issuer + "/logout/?")
        )
        self.assertIn("id_token_hint=", response["Location"])
        self.assertNotIn(SESSION_KEY, self.client.session)


class RefusalTests(SignInTestCase):
    def test_an_unmapped_user_gets_no_account_and_no_access(self):
        before = User.objects.count()
        with self.assertLogs("sso.backends", "WARNING") as logs:
            response = self.sign_in("kantine", {"role": "kantine", "groups": ["x"]})
        self.assertRefused(response, 403, "geeft geen toegang tot Casework")
        self.assertEqual(User.objects.count(), before)
        self.assertIn("unmapped", logs.output[0])
        self.assertIn("'role': ['kantine']", logs.output[0])

    def test_a_user_mapped_no_longer_loses_its_membership(self):
        user = self.assertSignedIn(self.sign_in("jdevries", JURIST_CLAIMS))
        self.client.logout()
        with self.assertLogs("sso.backends", "WARNING"):
            response = self.sign_in("jdevries", {**JURIST_CLAIMS, "role": "oud"})
        self.assertRefused(response, 403, "geeft geen toegang")
        self.assertFalse(Membership.objects.filter(user=user).exists())

    def test_another_organisation_is_refused_while_the_account_is_on_a_team(self):
        """The mapping now gives another municipality: the account is still on
        a case team for Venlo, so it keeps Venlo and the sign-in is refused
        (permissions.services.membership_refusal); off the team, it moves."""
        roermond = OrganisationFactory(
            name="Gemeente Roermond", kind=Organisation.Kind.GEMEENTE
        )
        ClaimMapping.objects.create(
            provider=self.idp, claim="role", value="handhaving-roermond",
            organisation=roermond, role=Role.JURIST,
        )  # fmt: skip
        user = self.assertSignedIn(self.sign_in("jdevries", JURIST_CLAIMS))
        case = CaseFactory(owner=user)
        self.client.logout()
        moved = {**JURIST_CLAIMS, "role": "handhaving-roermond"}
        with self.assertLogs("sso.backends", "WARNING") as logs:
            response = self.sign_in("jdevries", moved)
        self.assertRefused(response, 403, "noemt nu een andere organisatie")
        self.assertIn("organisation", logs.output[0])
        self.assertIn("Gemeente Roermond", logs.output[0])
        self.assertEqual(Membership.objects.get(user=user).organisation, self.gemeente)
        team_remove(case=case, user=user)
        self.assertEqual(self.assertSignedIn(self.sign_in("jdevries", moved)), user)
        self.assertEqual(Membership.objects.get(user=user).organisation, roermond)

    def test_a_provider_does_not_sign_in_another_kind_of_organisation(self):
        """The municipality's provider saying "police liaison" is ignored:
        a mapping to another kind of organisation (made before the rule, or
        past the admin) grants nothing."""
        ClaimMapping.objects.bulk_create(
            [
                ClaimMapping(
                    provider=self.idp,
                    claim="groups",
                    value="politie-liaison",
                    organisation=self.politie,
                    role=Role.PARTNER,
                )
            ]
        )
        with self.assertLogs("sso.backends", "WARNING") as logs:
            response = self.sign_in("agent", {"groups": ["politie-liaison"]})
        self.assertRefused(response, 403, "geeft geen toegang")
        self.assertIn("unmapped", logs.output[0])
        self.assertFalse(Membership.objects.filter(role=Role.PARTNER).exists())

    def test_claims_mapping_to_two_memberships_are_refused(self):
        claims = {**JURIST_CLAIMS, "groups": ["bibob"]}
        with self.assertLogs("sso.backends", "WARNING") as logs:
            response = self.sign_in("jdevries", claims)
        self.assertRefused(response, 403, "geeft geen toegang")
        self.assertIn("ambiguous", logs.output[0])

    def test_a_blocked_account_stays_blocked(self):
        user = self.assertSignedIn(self.sign_in("jdevries", JURIST_CLAIMS))
        self.client.logout()
        user.is_active = False
        user.save()
        with self.assertLogs("sso.views", "WARNING"):
            response = self.sign_in("jdevries", JURIST_CLAIMS)
        self.assertRefused(response, 403, "geblokkeerd")

    def tampered(self, tamper):
        with self.assertLogs("sso.views", "WARNING") as logs:
            response = self.sign_in("jdevries", JURIST_CLAIMS, tamper=tamper)
        self.assertRefused(response, 400, "mislukt")
        self.assertFalse(User.objects.filter(username__startswith="gemeente.").exists())
        return logs.output[0]

    def test_a_token_of_another_issuer_is_refused(self):
        self.assertIn("issuer", self.tampered({"iss": "http://127.0.0.1:9/o"}))

    def test_a_token_for_another_client_is_refused(self):
        self.assertIn("Audience", self.tampered({"aud": "another-client"}))

    def test_a_token_signed_with_another_key_is_refused(self):
        self.assertIn("Signature verification failed", self.tampered({"key": "other"}))

    def test_a_nonce_that_is_not_the_sessions_is_refused(self):
        self.assertIn("Nonce", self.tampered({"nonce": "replayed"}))

    def test_a_provider_configured_for_another_issuer_refuses_this_ones_tokens(self):
        """Mix-up: the endpoints are this provider's, the issuer another's."""
        other = IdentityProvider.objects.create(
            organisation=self.politie,
            slug="politie",
            name="Politie",
            issuer="http://127.0.0.1:9/o",
            authorization_endpoint=self.provider.issuer + "/authorize/",
            token_endpoint=self.provider.issuer + "/token/",
            userinfo_endpoint=self.provider.issuer + "/userinfo/",
            jwks_uri=self.provider.issuer + "/.well-known/jwks.json",
            client_id="casework-politie",
        )
        other.mappings.create(
            claim="role",
            value="handhaving",
            organisation=self.politie,
            role=Role.PARTNER,
        )
        self.provider.put_client(
            "casework-politie",
            "politie-secret",
            ["http://testserver/accounts/login/oidc/politie/callback/"],
        )
        secret = {"SSO_POLITIE_CLIENT_SECRET": "politie-secret"}
        with mock.patch.dict(os.environ, secret):
            with self.assertLogs("sso.views", "WARNING") as logs:
                response = self.sign_in("jdevries", JURIST_CLAIMS, slug="politie")
        self.assertRefused(response, 400, "mislukt")
        self.assertIn("issuer", logs.output[0])

    def test_a_state_the_session_did_not_start_is_refused(self):
        self.provider.put_user("jdevries", JURIST_CLAIMS)
        back = self.back_from_provider(self.start(), "jdevries")
        forged = back.replace("state=", "state=x")
        with self.assertLogs("sso.views", "WARNING"):
            response = self.client.get(forged)
        self.assertRefused(response, 400, "mislukt")
        # The real state, once; then never again.
        self.assertSignedIn(self.client.get(back))
        self.client.logout()
        with self.assertLogs("sso.views", "WARNING"):
            self.assertRefused(self.client.get(back), 400, "mislukt")

    def test_another_browser_cannot_use_the_answer(self):
        self.provider.put_user("jdevries", JURIST_CLAIMS)
        back = self.back_from_provider(self.start(), "jdevries")
        self.client.cookies.clear()
        with self.assertLogs("sso.views", "WARNING"):
            self.assertRefused(self.client.get(back), 400, "mislukt")

    def test_an_inactive_provider_is_refused(self):
        self.provider.put_user("jdevries", JURIST_CLAIMS)
        authorize = self.start()
        back = self.back_from_provider(authorize, "jdevries")
        IdentityProvider.objects.filter(pk=self.idp.pk).update(active=False)
        self.assertEqual(self.client.get(back).status_code, 404)
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertEqual(
            self.client.get("/accounts/login/oidc/gemeente/").status_code, 404
        )
        response = self.client.get("/accounts/login/")
        self.assertNotContains(response, "Inloggen via Gemeente Venlo")

    def test_an_unknown_provider_is_a_404(self):
        self.assertEqual(
            self.client.get("/accounts/login/oidc/nergens/").status_code, 404
        )

    def test_without_its_secret_the_provider_is_unavailable(self):
        del os.environ["SSO_GEMEENTE_CLIENT_SECRET"]
        with self.assertLogs("sso.views", "ERROR"):
            response = self.client.get("/accounts/login/oidc/gemeente/")
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "niet mogelijk", status_code=503)


class LoginPageTests(SignInTestCase):
    def test_one_button_per_active_provider(self):
        IdentityProvider.objects.create(
            organisation=self.politie,
            slug="politie",
            name="Politie Oost-Brabant",
            issuer="https://login.politie.example",
            client_id="casework",
            active=False,
        )
        response = self.client.get("/accounts/login/?next=/search/")
        self.assertContains(response, "Inloggen via Gemeente Venlo", count=1)
        self.assertContains(
            response, 'href="/accounts/login/oidc/gemeente/?next=%2Fsearch%2F"'
        )
        self.assertContains(response, "Inloggen via Politie Eenheid Limburg", count=1)
        self.assertNotContains(response, "Politie Oost-Brabant")
