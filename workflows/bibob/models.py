"""The Bibob dossier next to a Bibob case (docs/domain.md §3.1, data class D5):
what came in (`BibobIntake`), the own investigation source by source
(`BibobSource`, art 7a–7c, 11a) and the conclusion on the degree of danger
(`BibobConclusion`, art 3). Writes go through `workflows.bibob.services`;
reads are for the Bibob coordinator and the decision-maker only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Case
from workflows.bibob.acts import CompetentBody
from workflows.bibob.terms import ApplicationType, DecisionTermPolicy


class IntakeKind(models.TextChoices):
    APPLICATION = "application", _("Application (decision term runs)")
    REVOCATION = "revocation", _("Inquiry into revocation (signal or tip)")


class BibobIntake(models.Model):
    """What the case is about: an application with its decision term, or an
    inquiry into revoking a beschikking already given (no decision term)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="bibob_intake"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=IntakeKind.choices)
    application_type = models.CharField(
        _("application type"), max_length=30, choices=ApplicationType.choices
    )
    received_on = models.DateField(_("received on"))
    # The body competent for the decision (workflows.bibob.acts): recorded at
    # intake from the application type, read by the letters.
    competent_body = models.CharField(
        _("competent body"),
        max_length=15,
        choices=CompetentBody.choices,
        default=CompetentBody.BURGEMEESTER,
    )
    policy = models.ForeignKey(
        DecisionTermPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision term policy applied"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Bibob intake")
        verbose_name_plural = _("Bibob intakes")
        constraints = [
            # A private-law act (vastgoedtransactie, art 5a) has no Awb
            # decision term; every other application has one.
            models.CheckConstraint(
                condition=Q(kind="revocation")
                | Q(policy__isnull=False)
                | Q(application_type="vastgoedtransactie"),
                name="bibob_application_has_term",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.application_type}"

    @property
    def is_application(self) -> bool:
        return self.kind == IntakeKind.APPLICATION


class SourceKind(models.TextChoices):
    OPEN = "open", _("Open sources")
    KVK = "kvk", _("KvK Handelsregister")
    KADASTER = "kadaster", _("Kadaster")
    POLITIE = "politie", _("Police infodesk")
    JUSTID = "justid", _("JustID (judicial data)")
    OM = "om", _("Public Prosecution Service (OM)")
    VERGRIJPBOETE = "vergrijpboete", _("Belastingdienst: vergrijpboete")
    LBB_11A = "lbb_11a", _("LBB query (art 11a)")
    BESTUURSORGAAN = "bestuursorgaan", _("Other administrative body")
    OTHER = "other", _("Other source")


# The legal basis usually cited per source (docs/domain.md §3.1, §6.1); the form
# proposes it, the coordinator records what was actually used.
SOURCE_BASIS = {
    SourceKind.OPEN: "Wet Bibob art 7b",
    SourceKind.KVK: "Handelsregisterwet 2007 (openbaar register)",
    SourceKind.KADASTER: "Kadasterwet (openbare registers)",
    SourceKind.POLITIE: "Bpg art 4:3 lid 1 onder l",
    SourceKind.JUSTID: "Bjsg art 15",
    SourceKind.OM: "Wjsg art 39f lid 1 d",
    SourceKind.VERGRIJPBOETE: "Wet Bibob art 7c",
    SourceKind.LBB_11A: "Wet Bibob art 11a",
    SourceKind.BESTUURSORGAAN: "Wet Bibob art 28 lid 2 m",
    SourceKind.OTHER: "",
}


class BibobSource(models.Model):
    """One consulted source of the own investigation (art 7a), with the date,
    the legal basis it was consulted under and what it showed."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="bibob_sources"
    )
    kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    consulted_on = models.DateField(_("consulted on"))
    legal_basis = models.CharField(_("legal basis"), max_length=100)
    finding = models.TextField(_("finding"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["consulted_on", "id"]
        verbose_name = _("Bibob source")
        verbose_name_plural = _("Bibob sources")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.consulted_on:%Y-%m-%d}"


class Danger(models.TextChoices):
    GEEN = "geen", _("No danger")
    MINDERE_MATE = "mindere_mate", _("Danger to a lesser degree (art 3 lid 7)")
    ERNSTIG = "ernstig", _("Serious danger (art 3 lid 1)")


class BibobConclusion(models.Model):
    """The conclusion of the own investigation (B35) or, after the LBB advice,
    of the decision-making (B50). The newest row is the one in force; earlier
    rows stay as the trail."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="bibob_conclusions"
    )
    degree = models.CharField(
        _("degree of danger"), max_length=15, choices=Danger.choices
    )
    ground_a = models.BooleanField(
        _("a-ground: benefiting from criminal offences (art 3 lid 1 a)"),
        default=False,
    )
    ground_b = models.BooleanField(
        _("b-ground: committing criminal offences (art 3 lid 1 b)"), default=False
    )
    # Art 3 lid 6: offences committed to obtain the beschikking (a false Bibob
    # form). A ground for refusal or revocation of its own, without any
    # degree of danger.
    ground_6 = models.BooleanField(
        _("offences committed to obtain the decision (art 3 lid 6)"), default=False
    )
    advice_needed = models.BooleanField(
        _("the LBB's advice is needed (art 9)"), default=False
    )
    proportionality = models.TextField(_("proportionality (art 3 lid 5)"), blank=True)
    concluded_on = models.DateField(_("concluded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("Bibob conclusion")
        verbose_name_plural = _("Bibob conclusions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(degree="geen") | Q(ground_a=False, ground_b=False),
                name="bibob_no_ground_without_danger",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.degree}"

    @property
    def is_danger(self) -> bool:
        return self.degree in (Danger.MINDERE_MATE, Danger.ERNSTIG)


class ShareRecipient(models.TextChoices):
    """The recipients Wet Bibob art 28 lid 2 lists, exhaustively (docs/domain.md
    §3.1, §6.1 row 13). The value is the reason code recorded with every
    share; anyone not listed here gets nothing."""

    # a–d with their conditions ("only as far as necessary ...", worded
    # after the Justis guidance on art 28).
    A = (
        "28.2.a",
        _(
            "a. The person concerned, in the decision and only as far as needed to "
            "motivate it"
        ),
    )
    B = (
        "28.2.b",
        _(
            "b. A third party named in the motivation of the advice, only as far as "
            "the data concern it"
        ),
    )
    C = (
        "28.2.c",
        _(
            "c. The members of the triangle consultation (Politiewet art 13), only as "
            "far as necessary to support the body in motivating its decision"
        ),
    )
    D = (
        "28.2.d",
        _(
            "d. RIEC participants, only as far as necessary to support the body in "
            "applying the Wet Bibob"
        ),
    )
    E = "28.2.e", _("e. The objections committee")
    F = "28.2.f", _("f. Quality assurance and research")
    G = "28.2.g", _("g. The audit office (Rekenkamer)")
    H = "28.2.h", _("h. The National Ombudsman")
    I = "28.2.i", _("i. The Dutch Data Protection Authority")  # noqa: E741
    J = "28.2.j", _("j. The court")
    K = "28.2.k", _("k. Investigating officers, on a demand under the Sv")
    L = "28.2.l", _("l. AIVD or MIVD")
    M = "28.2.m", _("m. Another administrative body, under the conditions of lid 2 m")
    N = "28.2.n", _("n. The environmental service (omgevingsdienst)")
    O = "28.2.o", _("o. The Chamber of Commerce (KvK)")  # noqa: E741

    @property
    def legal_basis(self) -> str:
        return f"Wet Bibob art 28 lid 2 onder {self.value[-1]}"


class BibobShare(models.Model):
    """One provision of dossier data to a recipient of art 28 lid 2: who got
    what, on which ground and why, with the document that went out (printed
    with the art 28 lid 3 warning). The access log has the same share as a
    SHARE row for the FG; this row keeps it in the dossier for the
    coordinator."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="bibob_shares"
    )
    recipient_code = models.CharField(
        _("recipient (art 28 lid 2)"), max_length=10, choices=ShareRecipient.choices
    )
    recipient_name = models.CharField(_("recipient"), max_length=200)
    purpose = models.TextField(_("purpose"))
    document = models.ForeignKey(
        "casework.Document",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("document"),
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shared by"),
    )
    shared_at = models.DateTimeField(_("shared at"), default=timezone.now)

    class Meta:
        ordering = ["-shared_at", "-id"]
        verbose_name = _("Bibob share")
        verbose_name_plural = _("Bibob shares")
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_code__in=ShareRecipient.values),
                name="bibob_share_listed_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.recipient_name} ({self.recipient_code})"


class BibobPermitHandler(models.Model):
    """The user who handles the permit the Bibob case is about. Not on the
    case team: the permit handler sees the outcome and the suspension of the
    decision term on a page of its own, nothing of the dossier."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="bibob_permit_handlers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bibob_permits",
        verbose_name=_("permit handler"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("permit handler")
        verbose_name_plural = _("permit handlers")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], name="one_permit_handler_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.user_id}"


class ThirdParty(models.Model):
    """A third party named in a voornemen (Wet Bibob art 33 lid 1): it gets
    its own copy of the voornemen with the part of the advice about itself
    (art 28 lid 2 b, lid 3) and its own period for views."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="bibob_third_parties"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    intention_sent_on = models.DateField(_("intention sent on"))
    views_until = models.DateField(_("views until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("third party (art 33)")
        verbose_name_plural = _("third parties (art 33)")

    def __str__(self) -> str:
        return f"{self.case_id} {self.name}"

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


class BibobDecision(models.Model):
    """A besluit (or, for a vastgoedtransactie, the municipality's decision
    as contracting party) as taken: the outcome, its date and the
    motivation. The letters take their decisive content from it."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="bibob_decisions"
    )
    outcome = models.CharField(_("outcome"), max_length=3)  # B22, B70–B73
    decided_on = models.DateField(_("decided on"))
    motivation = models.TextField(_("motivation"), blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("Bibob decision")
        verbose_name_plural = _("Bibob decisions")

    def __str__(self) -> str:
        return f"{self.case_id} {self.outcome} {self.decided_on}"


# The case-type proxy (machine.py) is a model of this app too.
from .machine import BibobCase  # noqa: E402, F401
