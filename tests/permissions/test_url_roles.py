"""Every URL × every demo user, from the urlconf (issue 13 item 4).

The demo is loaded once; every named pattern of the urlconf is filled from
the demo's objects of every kind (a case of each type and data class, its
deadlines, documents and legal protection, signals of each class and
supplier, steps, addresses, the shielded PGA file) and requested as every
demo user and anonymously. The status must be the decision point's answer
(`tests/permissions/url_roles.py`: `POLICY_OF_URL`, one entry per URL name):
200 when it lets the user, 404 when not, 405 for a POST-only URL, a redirect
to the login page for anonymous users except on the public pages. Every write
endpoint is posted by the readers and outsiders it refuses, with a crafted
body: 404 (or 403), and no row changed; a page that words a rule's refusal
(who holds a case) is posted by the readers the rule refuses: the page or its
redirect, and no row changed. Object ids are replayed under another
case's reference. A URL without an entry in `POLICY_OF_URL` fails the suite.

The answers that differ today are listed in `url_roles.KNOWN_LEAKS`.
"""

import hashlib
import logging
import os
from collections import defaultdict
from datetime import timedelta
from unittest import mock

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from casework import listing
from casework.models import Case, Deadline, Document, Location, Party, Signal
from casework.registry import registry
from casework.steps import step_form
from permissions.models import CaseAccess, DataClass, Role
from sso.models import IdentityProvider
from tafels import services as tafel_services
from tafels.models import Meeting, Table
from tests.writes import Watch
from workflows.pga.services import SHIELDED_STATUSES

from .url_roles import (
    KNOWN_LEAKS,
    LOGIN_URL,
    POLICY_OF_URL,
    PROBE_VIEW,
    USERNAMES,
    Sample,
    as_proxy,
    known_entry,
    walk_urlconf,
)

# Further cases sampled per type, by status, where a write depends on it:
# findings are recorded in C40/C50 and follow-ups start in C60; violations of
# a gebiedsverbod are reported while it is in force (E50–E70).
ALSO_IN_STATE = {"IC": ("C50", "C60"), "GBV": ("E70",)}

DEADLINE_ACTIONS = ("suspend", "resume", "extend", "met", "no-such-action")

# Tables whose rows a refused request may add: the access log (denied rows)
# and the session of the login, with django-axes' record of that login.
LOG_TABLES = {
    "axes.AccessLog",
    "permissions.AccessLog",
    "permissions.AccessLogHead",
    "permissions.AccessLogCheckpoint",
    "permissions.AccessLogVerification",
    "sessions.Session",
}
# Tables whose rows change in place: compared by their values, not counted.
MUTABLE = {
    "casework.Case": (
        "status",
        "closed_at",
        "title",
        "data_class",
        "parent_id",
        "assignee_id",
    ),
    "casework.Signal": ("status", "data_class"),
    "casework.Deadline": None,
    "permissions.CaseAccess": None,
    "permissions.Membership": None,
    "legal_protection.LegalProtection": None,
    "auth.User": ("is_staff", "is_superuser", "is_active", "password"),
}


def fingerprint() -> dict:
    """Row counts of every table but the log's, and the values of the rows
    that change in place."""
    result = {}
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.proxy or label in LOG_TABLES:
            continue
        manager = model._base_manager
        if label in MUTABLE:
            fields = MUTABLE[label] or ()
            rows = list(manager.order_by("pk").values_list("pk", *fields))
            result[label] = hashlib.sha256(repr(rows).encode()).hexdigest()
        else:
            result[label] = manager.count()
    return result


def fingerprinted_tables() -> list[str]:
    """The tables `fingerprint` reads."""
    return [
        model._meta.db_table
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.label not in LOG_TABLES
    ]


def changed(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


def _letters_by_class(case_type: str) -> dict[str, str]:
    """One letter key per data class the type offers, and the per-reader one."""
    per_reader = set(registry.per_reader_letters())
    found: dict[str, str] = {}
    for letter in registry.letters_for(case_type):
        slot = "per_reader" if letter.key in per_reader else letter.data_class
        found.setdefault(slot, letter.key)
    return found


def add_what_the_demo_lacks(users) -> None:
    """What the samples need beyond the demo (also for test_hostile_input):
    a meeting whose minutes are established, identity providers, a saved
    view. The active provider's secret is `SSO_SECRET`, in the environment."""
    chair = users["coordinator"]
    # The demo has a held and a planned meeting; this one is closed, with a
    # person on its agenda.
    table = Table.objects.order_by("pk").first()
    meeting = tafel_services.meeting_plan(
        table=table, user=chair, day=timezone.localdate() - timedelta(days=30)
    )
    tafel_services.subject_put(
        meeting=meeting,
        user=users["politie"],
        party=Party(kind=Party.Kind.PERSON, name="Probe Persoon"),
        data_class=DataClass.D3,
        reason="probe",
    )
    tafel_services.meeting_hold(meeting=meeting, user=chair)
    tafel_services.meeting_close(meeting=meeting, user=chair)
    # An active provider with its endpoints configured (no discovery over the
    # network) and a switched-off one: the demo has none.
    organisation = chair.membership.organisation
    for slug, active in (("probe", True), ("probe-off", False)):
        base = f"https://{slug}.idp.invalid"
        IdentityProvider.objects.create(
            organisation=organisation, slug=slug, name=slug, issuer=base,
            authorization_endpoint=f"{base}/authorize",
            token_endpoint=f"{base}/token", userinfo_endpoint=f"{base}/userinfo",
            jwks_uri=f"{base}/jwks", client_id="casework", active=active,
        )  # fmt: skip
    # A view of the jurist's, shared with its team: only its owner renames or
    # deletes it.
    listing.saved_view_create(
        user=users["jurist"], name=PROBE_VIEW, query="", shared=True
    )
    # Two report jobs of the coordinator's (the demo makes none): one done
    # with its PDF, one that failed; only their requester opens them.
    from reports.models import ReportJob

    coordinator = users["coordinator"]
    for status in (ReportJob.Status.DONE, ReportJob.Status.FAILED):
        ReportJob.objects.create(
            kind=ReportJob.Kind.QUARTERLY, parameters={"quarter": "2026-K3"},
            requested_by=coordinator,
            organisation_id=coordinator.membership.organisation_id,
            status=status, progress=100,
            result=b"%PDF-1.4 probe" if status == ReportJob.Status.DONE else None,
            filename="probe.pdf", error="probe" if status != "done" else "",
            finished_at=timezone.now(),
        )  # fmt: skip


# The active probe provider's client secret, as production reads it
# (sso.models.IdentityProvider.client_secret).
SSO_SECRET = {"SSO_PROBE_CLIENT_SECRET": "probe"}


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies")
class UrlRoleTests(TestCase):
    """One demo, every URL, every user."""

    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0)
        User = get_user_model()
        cls.users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
        cls.cases = cls._pick_cases()
        cls._add_documents()
        add_what_the_demo_lacks(cls.users)

    # --- The demo objects --------------------------------------------------

    @classmethod
    def _pick_cases(cls) -> dict[str, Case]:
        """Per case type and data class the open case with the most in it
        (deadlines, legal protection, partners on the team), and the shielded
        PGA file (no team)."""
        from workflows.legal_protection.machine import LegalProtection

        scores = defaultdict(list)
        partners = set(
            CaseAccess.objects.filter(team_role=CaseAccess.TeamRole.CONTRIBUTOR)
            .values_list("case_id", flat=True)
            .distinct()
        )
        protected = set(LegalProtection.objects.values_list("case_id", flat=True))
        for case in Case.objects.filter(closed_at__isnull=True).order_by("id"):
            score = (
                case.pk in protected,
                case.pk in partners,
                case.deadlines.count(),
                case.findings.count() if hasattr(case, "findings") else 0,
            )
            scores[(case.case_type, case.data_class)].append((score, case.status, case))
        picked = {
            f"{case_type}/{data_class}": max(rows, key=lambda r: r[:2])[2]
            for (case_type, data_class), rows in scores.items()
        }
        for case_type, statuses in ALSO_IN_STATE.items():
            for status in statuses:
                also = Case.objects.filter(case_type=case_type, status=status).first()
                if also is not None and also not in picked.values():
                    picked[f"{case_type}/{also.data_class}@{status}"] = also
        shielded = Case.objects.filter(
            case_type="PGA", status__in=SHIELDED_STATUSES
        ).first()
        picked["PGA/shielded"] = shielded
        return picked

    @classmethod
    def _add_documents(cls):
        """A document of every data class each type makes, the plan van
        aanpak (content per partner) among them, on the sampled cases: the
        demo makes hardly any."""
        for label, case in cls.cases.items():
            if label.endswith("shielded"):
                continue
            for key in _letters_by_class(case.case_type).values():
                letter = registry.letters[key]
                Document.objects.create(
                    case=case, template_key=key, template_version="probe",
                    title=f"Probe {key}", version=99, inputs={},
                    content=b"%PDF-1.4 probe", sha256="0" * 64,
                    data_class=letter.data_class, author=case.created_by,
                )  # fmt: skip

    def by_state(self, case) -> list[str]:
        proxy = as_proxy(case)
        return [t.name for t in proxy.get_available_status_transitions()]

    def samples(self, kind: str) -> list[Sample]:
        """The ways to fill a pattern of this kind, from the demo."""
        cases = {k: Case.objects.get(pk=c.pk) for k, c in self.cases.items()}
        open_cases = {k: c for k, c in cases.items() if not k.endswith("shielded")}
        lod = next(c for k, c in open_cases.items() if k.startswith("LOD/"))
        if kind == "none":
            return [Sample("", {})]
        if kind == "reset":
            return [Sample("reset", {"uidb64": "MQ", "token": "abc-123"})]
        if kind == "case":
            rows = [
                Sample(
                    f"case:{k}",
                    {"reference": c.reference},
                    case=c,
                    extra={
                        "by_state": self.by_state(c),
                        "other_reference": lod.reference,
                        "letter": next(iter(_letters_by_class(c.case_type).values())),
                    },
                )  # fmt: skip
                for k, c in cases.items()
            ]
            rows.append(Sample("case:missing", {"reference": "2026-LOD-9999"}))
            return rows
        if kind == "shielded":
            return [
                Sample(f"case:{k}", {"reference": c.reference}, case=c)
                for k, c in cases.items()
                if k.startswith(("PGA", "LOD"))
            ]
        if kind == "step":
            rows = []
            for k, c in open_cases.items():
                names = self.by_state(c)
                for name in names:
                    if step_form(c, name) is not None:
                        rows.append(
                            Sample(
                                f"step:{k}:{name}",
                                {"reference": c.reference, "name": name},
                                case=c,
                                name=name,
                                extra={"by_state": names},
                            )  # fmt: skip
                        )
                rows.append(
                    Sample(
                        f"step:{k}:no-such-step",
                        {"reference": c.reference, "name": "no-such-step"},
                        case=c,
                        name="no-such-step",
                        extra={"by_state": names},
                    )  # fmt: skip
                )
            return rows
        if kind in ("deadline", "deadline_action"):
            rows = []
            for k, c in cases.items():
                deadline = Deadline.objects.filter(case=c).order_by("pk").first()
                if deadline is not None:
                    rows.append(
                        Sample(
                            f"deadline:{k}",
                            {"reference": c.reference, "pk": deadline.pk},
                            case=c,
                            obj=deadline,
                        )  # fmt: skip
                    )
            foreign = Deadline.objects.exclude(case=lod).order_by("pk").last()
            rows.append(
                Sample(
                    f"deadline:{foreign.case.case_type}@LOD",
                    {"reference": lod.reference, "pk": foreign.pk},
                    case=lod,
                    obj=foreign,
                    matches=False,
                )  # fmt: skip
            )
            if kind == "deadline":
                return rows
            return [
                Sample(
                    f"{s.label}:{action}",
                    {**s.kwargs, "action": action},
                    case=s.case,
                    obj=s.obj,
                    matches=s.matches and action != "no-such-action",
                )  # fmt: skip
                for s in rows
                for action in DEADLINE_ACTIONS
            ]
        if kind == "document":
            rows = [
                Sample(
                    f"document:{d.case.case_type}/{d.template_key}/{d.data_class}",
                    {"reference": d.case.reference, "pk": d.pk},
                    case=d.case,
                    obj=d,
                )  # fmt: skip
                for d in Document.objects.select_related("case").order_by("pk")
                if d.case_id in {c.pk for c in cases.values()}
                or not Document.objects.filter(
                    template_key=d.template_key,
                    case__case_type=d.case.case_type,
                    pk__lt=d.pk,
                ).exists()
            ]
            foreign = Document.objects.filter(case__case_type="PGA").last()
            rows.append(
                Sample(
                    "document:PGA@LOD",
                    {"reference": lod.reference, "pk": foreign.pk},
                    case=lod,
                    obj=foreign,
                    matches=False,
                )  # fmt: skip
            )
            return rows
        if kind in ("protection", "protection_step"):
            from workflows.legal_protection.machine import LegalProtection

            rows = []
            seen = set()
            for p in LegalProtection.objects.select_related("case").order_by("pk"):
                if p.case.case_type in seen:
                    continue
                seen.add(p.case.case_type)
                names = [t.name for t in p.get_available_status_transitions()]
                rows.append(
                    Sample(
                        f"protection:{p.case.case_type}",
                        {"reference": p.case.reference, "pk": p.pk},
                        case=p.case,
                        obj=p,
                        name=names[0] if names else "",
                        extra={"by_state": names},
                    )  # fmt: skip
                )
            other = Case.objects.filter(case_type="BIB").first()
            first = rows[0]
            rows.append(
                Sample(
                    f"{first.label}@BIB",
                    {"reference": other.reference, "pk": first.obj.pk},
                    case=other,
                    obj=first.obj,
                    matches=False,
                    name=first.name,
                    extra=first.extra,
                )  # fmt: skip
            )
            if kind == "protection":
                return rows
            return [
                Sample(
                    s.label + f":{s.name}",
                    {**s.kwargs, "name": s.name},
                    case=s.case,
                    obj=s.obj,
                    name=s.name,
                    matches=s.matches,
                    extra=s.extra,
                )  # fmt: skip
                for s in rows
            ]
        if kind == "signal":
            rows, seen = [], set()
            for signal in Signal.objects.select_related(
                "source_organisation", "registered_by__membership"
            ).order_by("pk"):
                key = (
                    signal.data_class,
                    signal.status,
                    signal.source_organisation.kind,
                    signal.registered_by.membership.role,
                )
                if key in seen:
                    continue
                seen.add(key)
                rows.append(
                    Sample(
                        "signal:{}/{}/{}/{}".format(*key),
                        {"reference": signal.reference},
                        obj=signal,
                    )  # fmt: skip
                )
            rows.append(Sample("signal:missing", {"reference": "2026-SIG-9999"}))
            return rows
        if kind == "location":
            cluster = (
                Location.objects.filter(signals__isnull=False, street="Industrieweg")
                .distinct()
                .first()
            )
            # An address known only from a PGA referral (D10): no board user
            # has a signal about it.
            referral = (
                Location.objects.filter(signals__data_class="D10")
                .exclude(signals__data_class__in=["D0", "D3"])
                .first()
            )
            return [
                Sample("location:cluster", {"pk": cluster.pk}, obj=cluster),
                Sample("location:D10-only", {"pk": referral.pk}, obj=referral),
            ]
        if kind == "tafel":
            rows = [
                Sample(f"tafel:{t.kind}", {"pk": t.pk}, obj=t)
                for t in Table.objects.order_by("pk")
            ]
            return [*rows, Sample("tafel:missing", {"pk": 999999})]
        if kind == "meeting":
            rows = {}
            for m in Meeting.objects.select_related("table").order_by("pk"):
                rows.setdefault(
                    m.status, Sample(f"meeting:{m.status}", {"pk": m.pk}, obj=m)
                )
            return [*rows.values(), Sample("meeting:missing", {"pk": 999999})]
        if kind == "programme":
            from programme.models import Programme

            rows = [
                Sample(f"programme:{p.pk}", {"pk": p.pk}, obj=p)
                for p in Programme.objects.order_by("pk")
            ]
            return [*rows, Sample("programme:missing", {"pk": 999999})]
        if kind == "project":
            from programme.models import Project

            first = Project.objects.order_by("pk").first()
            return [
                Sample(f"project:{first.pk}", {"pk": first.pk}, obj=first),
                Sample("project:missing", {"pk": 999999}),
            ]
        if kind == "report_job":
            from reports.models import ReportJob

            rows = [
                Sample(f"report_job:{j.status}", {"pk": j.pk}, obj=j)
                for j in ReportJob.objects.order_by("pk")
            ]
            return [*rows, Sample("report_job:missing", {"pk": 999999})]
        if kind == "sso":
            rows = [
                Sample(f"sso:{p.slug}", {"slug": p.slug}, obj=p)
                for p in IdentityProvider.objects.order_by("slug")
            ]
            return [*rows, Sample("sso:unknown", {"slug": "nergens"})]
        raise AssertionError(f"no sampler {kind!r}")

    def setUp(self):
        patcher = mock.patch.dict(os.environ, SSO_SECRET)
        patcher.start()
        self.addCleanup(patcher.stop)
        # Thousands of expected 404s and 405s: not worth a log line each.
        logger = logging.getLogger("django.request")
        level = logger.level
        logger.setLevel(logging.ERROR)
        self.addCleanup(logger.setLevel, level)

    # --- Walking -----------------------------------------------------------

    def entries(self):
        for entry in walk_urlconf():
            if entry.name == "admin:*":
                continue
            rule = POLICY_OF_URL[entry.name]
            for sample in self.samples(rule.sample):
                url = reverse(entry.name, kwargs=sample.kwargs)
                yield entry, rule, sample, url

    def writes(self):
        """Every write endpoint with each of its writes (label, answer, body)."""
        for entry, rule, sample, url in self.entries():
            if rule.write is not None:
                yield entry, rule, sample, url, sample.label, rule.write, rule.body
            for name, allow, body in rule.more_writes:
                label = f"{sample.label}+{name}"
                yield entry, rule, sample, url, label, allow, body

    def session_of(self, username) -> str:
        """The session key of a login of the user, made on first use and
        kept for the test (a request that ended it is rolled back)."""
        sessions = self.__dict__.setdefault("_sessions", {})
        if username not in sessions:
            self.client.force_login(self.users[username])
            sessions[username] = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        return sessions[username]

    def request(self, method, url, data=None):
        try:
            if method == "GET":
                return self.client.get(url)
            return self.client.post(url, data or {})
        except Exception as exc:  # a crash is a finding too
            return _Crash(exc)

    def compare(self, found, select):
        """The differences found against the KNOWN_LEAKS this test covers
        (`select` on their keys): new ones, changed ones, fixed ones."""
        lines = []
        covered = defaultdict(set)
        for key, (seen, expected, where) in sorted(found.items()):
            entry, value = known_entry(key)
            if entry is None:
                lines.append(f"NEW {key}: seen {seen}, expected {expected} {where}")
            elif value[:2] != (seen, expected):
                lines.append(f"CHANGED {key}: now {seen}, listed {value[:2]} {where}")
            else:
                covered[entry].add(key[2])
        for entry in KNOWN_LEAKS:
            if not select(entry):
                continue
            users = (entry[2],) if isinstance(entry[2], str) else entry[2]
            for username in users:
                if username not in covered[entry]:
                    lines.append(f"FIXED for {username!r} (update KNOWN_LEAKS) {entry}")
        self.assertFalse(lines, "\n" + "\n".join(lines))

    # --- The tests -----------------------------------------------------------

    def test_every_url_has_a_policy_answer(self):
        names = {entry.name for entry in walk_urlconf()}
        self.assertEqual(
            sorted(names - set(POLICY_OF_URL)), [], "URLs without a policy answer"
        )
        self.assertEqual(
            sorted(set(POLICY_OF_URL) - names), [], "policy answers for no URL"
        )
        # Every pattern's parameters are filled by its sampler.
        for entry in walk_urlconf():
            if entry.name == "admin:*":
                continue
            for sample in self.samples(POLICY_OF_URL[entry.name].sample):
                self.assertEqual(
                    set(sample.kwargs), set(entry.params), (entry.name, sample.label)
                )

    def test_every_url_as_every_user(self):
        found = {}
        targets = list(self.entries())
        checked = 0
        for username in USERNAMES:
            user = self.users[username]
            self.client.force_login(user)
            for entry, rule, sample, url in targets:
                if rule.read is None:
                    expected = 405
                else:
                    expected = rule.granted if rule.read(user, sample) else 404
                response = self.request("GET", url)
                checked += 1
                if rule.ends_session:
                    self.client.force_login(user)
                if response.status_code != expected:
                    found[(entry.name, sample.label, username, "GET")] = (
                        response.status_code, expected, _where(response)
                    )  # fmt: skip
        self.assertGreater(checked, 1000)
        self.compare(found, lambda k: k[3] == "GET" and k[2] != "")

    def test_anonymous_users_get_the_login_page_except_on_public_pages(self):
        found = {}
        self.client.logout()
        for entry, rule, sample, url in self.entries():
            response = self.request("GET", url)
            if rule.public:
                answer = rule.read(AnonymousUser(), sample)
                expected = rule.granted if answer else 404
                ok = response.status_code == expected
            else:
                ok = response.status_code == 302 and response["Location"].startswith(
                    f"{LOGIN_URL}?next="
                )
                expected = 302
            if not ok:
                found[(entry.name, sample.label, "", "GET")] = (
                    response.status_code, expected, _where(response)
                )  # fmt: skip
        self.compare(found, lambda k: k[3] == "GET" and k[2] == "")

    def post_as(self, usernames, url, body, sample) -> tuple[dict, list[str]]:
        """POST as each user in turn inside one savepoint, rolled back after:
        the responses, and the tables whose rows changed."""
        # Each user's session is made once, outside the savepoint: a login
        # writes the user's last_login, which would count as a write.
        sessions = {name: self.session_of(name) for name in usernames if name}
        sid = transaction.savepoint()
        responses = {}
        with Watch(fingerprinted_tables()) as watch:
            for username in usernames:
                if username:
                    self.client.cookies[settings.SESSION_COOKIE_NAME] = sessions[
                        username
                    ]
                else:
                    self.client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
                responses[username] = self.request(
                    "POST", url, body(sample, self.users)
                )
        self.client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        # Nothing written (tests/writes.py): nothing changed. Else the tables
        # after, and before (the state the rollback restores).
        after = fingerprint() if watch.wrote else None
        transaction.savepoint_rollback(sid)
        if after is None:
            return responses, []
        return responses, changed(fingerprint(), after)

    def test_write_endpoints_refuse_readers_and_outsiders_and_change_nothing(self):
        found = {}
        posted = 0
        for entry, _rule, sample, url, label, allow, body in self.writes():
            refused = [
                name for name in USERNAMES if not allow(self.users[name], sample)
            ]
            responses, diff = self.post_as(["", *refused], url, body, sample)
            posted += len(responses)
            diffs = {}
            if diff:
                # Someone changed something: find out who, one at a time.
                for username in responses:
                    diffs[username] = self.post_as([username], url, body, sample)[1]
            for username, response in responses.items():
                status = response.status_code
                if username:
                    ok, expected = status in (403, 404), 404
                else:
                    ok = status == 302 and response["Location"].startswith(LOGIN_URL)
                    expected = 302
                if not ok or diffs.get(username):
                    where = diffs.get(username) and f"changed {diffs[username]}"
                    found[(entry.name, label, username, "POST")] = (
                        status, expected, where or _where(response)
                    )  # fmt: skip
        self.assertGreater(posted, 300)
        self.compare(found, lambda k: k[3] == "POST")

    def test_readers_whom_a_rule_refuses_are_told_and_change_nothing(self):
        """A page that words a refusal (who holds a case): the readers the
        rule refuses post, see the page or its redirect, and nothing changes."""
        found = {}
        posted = 0
        for entry, rule, sample, url in self.entries():
            if rule.told is None:
                continue
            told = [
                name
                for name in USERNAMES
                if rule.write(self.users[name], sample)
                and not rule.told(self.users[name], sample)
            ]
            for username in told:
                responses, diff = self.post_as([username], url, rule.body, sample)
                posted += 1
                status = responses[username].status_code
                if status not in (200, 302) or diff:
                    where = diff and f"changed {diff}"
                    found[(entry.name, sample.label, username, "POST")] = (
                        status, 302, where or _where(responses[username])
                    )  # fmt: skip
        self.assertGreater(posted, 10)
        self.assertFalse(found, found)

    def test_only_the_beheerder_reaches_the_admin(self):
        for username in USERNAMES:
            self.client.force_login(self.users[username])
            response = self.client.get("/admin/")
            if username == "beheerder":
                self.assertEqual(response.status_code, 200)
            else:
                self.assertIn(response.status_code, (302, 404), username)
                if response.status_code == 302:
                    self.assertTrue(response["Location"].startswith("/admin/login/"))
        self.client.logout()
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)

    def test_the_demo_has_an_object_of_every_kind(self):
        """The samples reach what the test promises: a case of every type,
        partners on teams, a per-reader document, a D10 referral signal."""
        self.assertEqual(
            {k.split("/")[0] for k in self.cases}, {"BIB", "GBV", "IC", "LOD", "PGA"}
        )
        self.assertIsNotNone(self.cases["PGA/shielded"])
        labels = [s.label for s in self.samples("document")]
        self.assertTrue(any("plan_van_aanpak" in label for label in labels))
        self.assertTrue(
            any(s.label.startswith("signal:D10") for s in self.samples("signal"))
        )
        roles = {self.users[name].membership.role for name in USERNAMES}
        self.assertEqual(roles, set(Role.values))


class _Crash:
    """A request that raised: status 500 with the exception."""

    def __init__(self, exc):
        self.status_code = 500
        self.exc = exc

    def __getitem__(self, key):
        return ""


def _where(response) -> str:
    if isinstance(response, _Crash):
        return f"raised {type(response.exc).__name__}: {response.exc}"[:200]
    if response.status_code in (301, 302):
        return f"-> {response['Location']}"
    return ""
