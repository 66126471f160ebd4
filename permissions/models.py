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
import json

from django.conf import settings
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
            models.Index(
                fields=["user", "case_type", "-sort_key", "-case"],
                name="caseaccess_user_type_sort",
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


class AccessLog(models.Model):
    """Append-only record of reads, exports and shares (docs/domain.md §6.5).

    Each row carries `hash_chain` = SHA-256(previous row's hash + this row's
    content), so a removed or edited row breaks the chain (`verify_chain`).
    On PostgreSQL a trigger also refuses UPDATE and DELETE.
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

    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user_id = models.IntegerField(_("user id"), null=True)
    username = models.CharField(_("user"), max_length=150)
    role = models.CharField(_("role"), max_length=30)
    organisation = models.CharField(_("organisation"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=50)
    data_class = models.CharField(_("data class"), max_length=3)
    case_id = models.IntegerField(_("case id"), null=True, db_index=True)
    case_reference = models.CharField(_("case"), max_length=30, blank=True)
    purpose_code = models.CharField(_("purpose"), max_length=50, blank=True)
    legal_basis_code = models.CharField(_("legal basis"), max_length=100, blank=True)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    client_ip = models.CharField(_("client address"), max_length=64, blank=True)
    hash_chain = models.CharField(max_length=64, editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")

    def content_digest(self, previous: str) -> str:
        payload = json.dumps(
            [
                previous,
                self.timestamp.isoformat(),
                self.user_id,
                self.username,
                self.role,
                self.organisation,
                self.action,
                self.object_type,
                self.object_id,
                self.data_class,
                self.case_id,
                self.purpose_code,
                self.legal_basis_code,
                self.recipient,
                self.result,
                self.client_ip,
            ],
            separators=(",", ":"),
        )
        return hashlib.sha256(payload.encode()).hexdigest()


class AccessLogHead(models.Model):
    """The newest hash of the chain, one row, locked while a log row is added so
    concurrent writers extend the chain one at a time."""

    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return self.last_hash
