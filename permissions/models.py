"""Organisations, roles, memberships, case teams, data classes and the access log.

This app is the only place that talks to django-guardian. The case team is kept
twice, on purpose and always in the same transaction (see `services.team_add`):

* as guardian object permissions in the direct-foreign-key tables below, which
  answer "may this user act on this case" for one object; and
* as `CaseAccess` rows carrying the case list's sort key, which every list and
  every count reads. That table stays flat at a million cases for users who see
  few cases as well as for users who see many (docs/performance.md).
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class DataClass(models.TextChoices):
    """Confidentiality classes of docs/domain.md §6.3."""

    D0 = "D0", _("D0 Case metadata")
    D1 = "D1", _("D1 Identification")
    D2 = "D2", _("D2 Decisions and correspondence")
    D3 = "D3", _("D3 Police data")
    D4 = "D4", _("D4 Judicial and prosecution data")
    D5 = "D5", _("D5 Bibob advice and findings")
    D6 = "D6", _("D6 Fiscal data")
    D7 = "D7", _("D7 Health data")
    D8 = "D8", _("D8 Collection and financial data")
    D9 = "D9", _("D9 Logs and audit trail")
    D10 = "D10", _("D10 RIEC/ZVH case products")


# Reads of these classes are written to the access log (docs/domain.md §6.4 rule 3).
SENSITIVE_CLASSES = frozenset(
    {
        DataClass.D3,
        DataClass.D4,
        DataClass.D5,
        DataClass.D6,
        DataClass.D7,
        DataClass.D10,
    }
)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", _("Municipality")
        POLITIE = "politie", _("Police")
        OM = "om", _("Public Prosecution Service")
        BELASTINGDIENST = "belastingdienst", _("Tax Administration")
        RIEC = "riec", _("RIEC")
        ZVH = "zvh", _("Zorg- en Veiligheidshuis")
        WONINGCORPORATIE = "woningcorporatie", _("Housing corporation")
        NETBEHEERDER = "netbeheerder", _("Grid operator")
        INSPECTIE = "inspectie", _("Inspectorate (UWV, Arbeidsinspectie)")
        BRANDWEER = "brandweer", _("Fire service")
        ZORG = "zorg", _("Care provider")

    # WGS 2.19/2.27: these are never participants of a partnership and get
    # only what their own task on site needs (WGS 1.5 lid 4, 1.7 lid 2-3, 6).
    PRIVATE_KINDS = frozenset({Kind.WONINGCORPORATIE, Kind.NETBEHEERDER, Kind.ZORG})

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_private(self) -> bool:
        return self.kind in self.PRIVATE_KINDS


class Role(models.TextChoices):
    """The people who use Casework (docs/architecture.md)."""

    BURGEMEESTER = "burgemeester", _("Mayor (or mandated official)")
    JURIST = "jurist", _("Enforcement lawyer")
    BIBOB = "bibob", _("Bibob coordinator")
    COORDINATOR = "coordinator", _("Intervention team coordinator")
    CASUSREGISSEUR = "casusregisseur", _("Case director")
    TOEZICHT = "toezicht", _("Inspector / BOA")
    INVORDERING = "invordering", _("Collection officer")
    PARTNER = "partner", _("Partner liaison")
    # Handles the permit a Bibob toets is about; sees only the outcome and the
    # suspension of the decision term, never the dossier (Wet Bibob art 28).
    VERGUNNING = "vergunning", _("Permit handler")
    FG = "fg", _("Data protection officer / auditor")
    BEHEERDER = "beheerder", _("Functional administrator")


class Membership(models.Model):
    """A user's organisation and role. One per user: a person who works for two
    organisations gets two accounts, so every log row names one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation}, {self.get_role_display()})"

    def clean(self):
        """The beheerder's form: not another organisation while the account
        is on a case team (`services.membership_refusal`)."""
        from .services import membership_refusal

        if self.user_id is not None and self.organisation_id is not None:
            refusal = membership_refusal(self.user, self.organisation)
            if refusal is not None:
                raise ValidationError({"organisation": refusal})


class CaseAccess(models.Model):
    """One row per (user, case) on the case team: the list index.

    `sort_key` copies the case's opening time and `data_class`/`case_type` copy
    the case's, so the case list and its count read this table alone. Rows are
    written and removed only by `permissions.services`, together with the
    guardian grants.
    """

    class TeamRole(models.TextChoices):
        OWNER = "owner", _("Case owner")
        MEMBER = "member", _("Team member")
        CONTRIBUTOR = "contributor", _("Contributing partner")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_access"
    )
    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, related_name="access"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    team_role = models.CharField(
        _("team role"), max_length=20, choices=TeamRole.choices
    )
    sort_key = models.DateTimeField()
    case_type = models.CharField(max_length=10)
    data_class = models.CharField(max_length=3, choices=DataClass.choices)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case team member")
        verbose_name_plural = _("case team members")
        constraints = [
            models.UniqueConstraint(fields=["user", "case"], name="one_access_per_user")
        ]
        indexes = [
            models.Index(
                fields=["user", "-sort_key", "-case"],
                include=["data_class", "case_type"],
                name="caseaccess_user_sort",
            ),
            # A case type's cases of a user (the case list's type filter, the
            # controle dashboard): carries the data class, so that the
            # decision point's rule is read from the index alone.
            models.Index(
                fields=["user", "case_type", "-sort_key", "-case"],
                include=["data_class"],
                name="caseaccess_user_type_sort",
            ),
            # A service account's case list (docs/access.md "Service
            # accounts"): its organisation's team rows, newest first
            # (`selectors.visible_case_keys`).
            models.Index(
                fields=["organisation", "-sort_key", "-case"],
                include=["data_class"],
                name="caseaccess_org_sort",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.case_id}"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Guardian grant on a case, with a real foreign key (docs/architecture.md)."""

    content_object = models.ForeignKey("casework.Case", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case permission (user)")
        verbose_name_plural = _("case permissions (user)")


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("casework.Case", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("case permission (group)")
        verbose_name_plural = _("case permissions (group)")


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")


ZERO_HASH = "0" * 64
ACCESS_LOG_KEY_CONTEXT = b"casework.access-log.v1"
TEST_SETTINGS = "casework.test_settings"


def access_log_key() -> bytes:
    """The key of the access log's HMAC chain (docs/access.md "The access log").

    The setting ACCESS_LOG_KEY, else the environment variable ACCESS_LOG_KEY
    or the file named by ACCESS_LOG_KEY_FILE. Without one, DEBUG and the test
    settings use a key derived from SECRET_KEY; any other deployment refuses
    to write or verify the log. The key never goes into the database: whoever
    can only write the database cannot recompute the chain."""
    import os

    key = getattr(settings, "ACCESS_LOG_KEY", "") or ""
    if not key:
        path = os.environ.get("ACCESS_LOG_KEY_FILE")
        if path:
            with open(path) as handle:
                key = handle.read().strip()
        else:
            key = os.environ.get("ACCESS_LOG_KEY", "")
    if key:
        return key.encode()
    if settings.DEBUG or os.environ.get("DJANGO_SETTINGS_MODULE") == TEST_SETTINGS:
        return hmac.new(
            settings.SECRET_KEY.encode(), ACCESS_LOG_KEY_CONTEXT, hashlib.sha256
        ).digest()
    raise ImproperlyConfigured(
        "ACCESS_LOG_KEY is not set: the access log cannot be written or verified "
        "(set ACCESS_LOG_KEY or ACCESS_LOG_KEY_FILE, see docs/access.md)."
    )


def access_log_mac(*parts) -> str:
    """HMAC-SHA256 of the JSON list of `parts` under the access-log key."""
    payload = json.dumps(list(parts), separators=(",", ":"), ensure_ascii=False)
    return hmac.new(access_log_key(), payload.encode(), hashlib.sha256).hexdigest()


class AccessLog(models.Model):
    """Append-only record of reads, exports and shares (docs/domain.md §6.5).

    The log is a few independent chains (`shard`), so that logged reads do not
    wait for one another: row `seq` of a shard carries `hash_chain` =
    HMAC-SHA256(key, previous hash of the shard + every column of the row,
    its id, shard and seq included). An edited, removed, inserted or
    reordered row breaks its shard's chain; without the key the chain cannot
    be recomputed; rows cut from the end show against the checkpoints
    (`AccessLogCheckpoint`); `verify_access_log` checks all of it. Triggers
    refuse UPDATE and DELETE (SQLite and PostgreSQL) and TRUNCATE (PostgreSQL).
    """

    class Action(models.TextChoices):
        CREATE = "create", _("create")
        READ = "read", _("read")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        EXPORT = "export", _("export")
        PRINT = "print", _("print")
        SHARE = "share", _("share")
        COMBINE = "combine", _("combine")
        CONSULT = "consult-external", _("consult external source")

    class Result(models.TextChoices):
        OK = "ok", _("allowed")
        DENIED = "denied", _("denied")

    timestamp = models.DateTimeField(_("time"), default=timezone.now)
    user_id = models.IntegerField(_("user id"), null=True)
    username = models.CharField(_("user"), max_length=150)
    role = models.CharField(_("role"), max_length=30)
    organisation = models.CharField(_("organisation"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=50)
    # A list page names every case it showed (casework.views.log_page_read).
    object_id = models.CharField(_("object id"), max_length=1000)
    data_class = models.CharField(_("data class"), max_length=3)
    case_id = models.IntegerField(_("case id"), null=True, db_index=True)
    case_reference = models.CharField(_("case"), max_length=30, blank=True)
    purpose_code = models.CharField(_("purpose"), max_length=50, blank=True)
    legal_basis_code = models.CharField(_("legal basis"), max_length=100, blank=True)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    client_ip = models.CharField(_("client address"), max_length=64, blank=True)
    shard = models.PositiveSmallIntegerField(default=0, editable=False)
    seq = models.BigIntegerField(default=0, editable=False)
    hash_chain = models.CharField(max_length=64, editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        default_permissions = ("view",)
        constraints = [
            # Also the index the verification walks, shard by shard.
            models.UniqueConstraint(
                fields=["shard", "seq"], name="accesslog_shard_seq"
            ),
        ]
        indexes = [
            # /audit/: newest first, filtered by period, user or case
            # (docs/access.md; bench/bench_access_log.py).
            models.Index(fields=["timestamp", "id"], name="accesslog_time"),
            models.Index(
                fields=["username", "timestamp", "id"], name="accesslog_user_time"
            ),
            models.Index(
                fields=["case_reference", "timestamp", "id"],
                name="accesslog_case_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The access log is append-only.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")

    def content_digest(self, previous: str) -> str:
        """The keyed hash of this row on top of `previous`: every column."""
        return access_log_digest(previous, self)


def access_log_digest(previous: str, row) -> str:
    """HMAC of one log row (any object with AccessLog's attributes, so the
    migrations use it too) chained on the previous hash of its shard."""
    return access_log_mac(
        previous, row.pk, row.shard, row.seq,
        row.timestamp.astimezone(UTC).isoformat(),
        row.user_id, row.username, row.role, row.organisation, row.action,
        row.object_type, row.object_id, row.data_class, row.case_id,
        row.case_reference, row.purpose_code, row.legal_basis_code,
        row.recipient, row.result, row.client_ip,
    )  # fmt: skip


class AccessLogHead(models.Model):
    """The newest hash and the length of one shard of the chain. A writer
    takes a free shard's head row (FOR UPDATE SKIP LOCKED on PostgreSQL), so
    up to ACCESS_LOG_SHARDS logged reads proceed at once."""

    shard = models.PositiveSmallIntegerField(unique=True, default=0)
    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=ZERO_HASH)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.shard}:{self.seq}:{self.last_hash}"


class AccessLogCheckpoint(models.Model):
    """A copy of one shard's head (length and last hash) kept outside the log:
    written every ACCESS_LOG_CHECKPOINT_EVERY rows and by each verification.
    Rows cut from the end of a shard, with its head moved back, no longer
    reach the checkpoint. Insert-only (triggers; in production the table
    belongs to another database role and the application is granted INSERT
    and SELECT only, docs/access.md). `signature` is keyed, so a checkpoint
    cannot be forged without the key."""

    class Reason(models.TextChoices):
        ROWS = "rows", _("every N rows")
        VERIFY = "verify", _("verification")
        MIGRATE = "migrate", _("migration")

    created_at = models.DateTimeField(default=timezone.now)
    shard = models.PositiveSmallIntegerField()
    seq = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    signature = models.CharField(max_length=64)

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["shard", "seq"], name="accesslog_ckpt_shard")]

    def __str__(self) -> str:
        return f"{self.shard}:{self.seq}"

    def expected_signature(self) -> str:
        return access_log_mac(
            "checkpoint", self.shard, self.seq, self.last_hash,
            self.created_at.astimezone(UTC).isoformat(), self.reason,
        )  # fmt: skip

    def sign(self) -> "AccessLogCheckpoint":
        self.signature = self.expected_signature()
        return self


class AccessLogVerification(models.Model):
    """The outcome of each run of `verify_access_log`; the newest is shown to
    the FG on /audit/ (a failed one as an alert until a later run passes)."""

    checked_at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    rows_checked = models.BigIntegerField(default=0)
    shards = models.PositiveIntegerField(default=0)
    first_problem = models.TextField(blank=True)
    problems = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-checked_at", "-id"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'FAILED'}"
