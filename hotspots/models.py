"""The hotspots' tables (docs/hotspots.md): area boundaries, the Kadaster and
KvK extracts, the uploads kept between preview and confirmation, and the
precomputed figures and ranks that `hotspots.rebuild.refresh` rewrites."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import validators


class Area(models.Model):
    """An area's boundary: `name` is the `Location.area` text the addresses
    carry; `boundary` a list of polygons, each a list of rings (the first the
    outer ring), each a list of [x, y] in RD New (EPSG:28992, metres). The
    bounding box is kept for the map's extent."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    boundary = models.JSONField(_("boundary"))
    min_x = models.FloatField()
    min_y = models.FloatField()
    max_x = models.FloatField()
    max_y = models.FloatField()
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegisterUpload(models.Model):
    """An uploaded file between its preview and its confirmation (as
    `casework.SignalImport`): its owner, kind and text; emptied once
    imported."""

    class Kind(models.TextChoices):
        AREAS = "areas", _("Area boundaries (GeoJSON)")
        KADASTER = "kadaster", _("Kadaster ownership changes (CSV)")
        KVK = "kvk", _("KvK branch registrations (CSV)")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        IMPORTED = "imported", _("Imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    imported_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"


class OwnershipChange(models.Model):
    """A transfer of ownership from the Kadaster extract. Data minimisation
    (AVG art. 5 lid 1 c): the buyer's kind and, for a legal person, its KvK
    number; never a natural person's name or other identifying data."""

    class BuyerKind(models.TextChoices):
        NATURAL = "natural", _("natural person")
        LEGAL = "legal", _("legal person")

    bag_id = models.CharField(
        _("BAG id"), max_length=16, blank=True, validators=[validators.validate_bag_id]
    )
    postcode = models.CharField(_("postcode"), max_length=7)
    house_number = models.PositiveIntegerField(_("house number"))
    addition = models.CharField(_("addition"), max_length=10, blank=True)
    # The address the transfer is counted at; linked at import and again by
    # every rebuild while no address matches yet.
    location = models.ForeignKey(
        "casework.Location", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    transferred_on = models.DateField(_("date of transfer"))
    buyer_kind = models.CharField(_("buyer"), max_length=10, choices=BuyerKind.choices)
    buyer_kvk = models.CharField(_("KvK number of the buyer"), max_length=8, blank=True)
    upload = models.ForeignKey(
        RegisterUpload, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ownership change")
        verbose_name_plural = _("ownership changes")
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "house_number", "addition", "transferred_on"],
                name="ownership_change_once",
            ),
            # A natural person's transfer carries no KvK number (nothing that
            # could lead back to the person beyond the address).
            models.CheckConstraint(
                condition=Q(buyer_kind="legal") | Q(buyer_kvk=""),
                name="ownership_kvk_legal_only",
            ),
        ]
        indexes = [models.Index(fields=["location", "transferred_on"], name="own_loc")]

    def __str__(self) -> str:
        return (
            f"{self.postcode} {self.house_number}{self.addition} {self.transferred_on}"
        )


class BranchRegistration(models.Model):
    """A KvK establishment (vestiging) from the KvK extract: which branch of
    business (SBI) registered at an address, when, and when it left."""

    kvk_number = models.CharField(
        _("KvK number"), max_length=8, validators=[validators.validate_kvk]
    )
    establishment_number = models.CharField(_("establishment number"), max_length=12)
    sbi_code = models.CharField(_("SBI code"), max_length=6)
    branch_label = models.CharField(_("branch"), max_length=100)
    registered_on = models.DateField(_("registered on"))
    deregistered_on = models.DateField(_("deregistered on"), null=True, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7)
    house_number = models.PositiveIntegerField(_("house number"))
    addition = models.CharField(_("addition"), max_length=10, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    location = models.ForeignKey(
        "casework.Location", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    upload = models.ForeignKey(
        RegisterUpload, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("branch registration")
        verbose_name_plural = _("branch registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["establishment_number", "registered_on"],
                name="branch_registration_once",
            ),
            models.CheckConstraint(
                condition=Q(deregistered_on__isnull=True)
                | Q(deregistered_on__gte=F("registered_on")),
                name="branch_deregistered_after",
            ),
        ]
        indexes = [models.Index(fields=["location", "registered_on"], name="kvk_loc")]

    def __str__(self) -> str:
        return f"{self.establishment_number} {self.branch_label}"


class Figure(models.Model):
    """One precomputed count at an address (`location`) or, with no
    location, for an area as a whole: `family` ("SIG", a case type code,
    "KAD", "KVK") and `data_class` say who may count it
    (`permissions.figures`); `measure` and `key` what it counts (signals by
    source or age band, open or closed cases, ownership changes, new
    branches by SBI code). Rewritten by `hotspots.rebuild.refresh`."""

    location = models.ForeignKey(
        "casework.Location", on_delete=models.CASCADE, null=True, related_name="+"
    )
    area = models.CharField(max_length=100, blank=True)
    family = models.CharField(max_length=10)
    data_class = models.CharField(max_length=3)
    measure = models.CharField(max_length=10)
    key = models.CharField(max_length=40, blank=True)
    value = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["location", "family"], name="figure_location"),
            models.Index(fields=["area", "family"], name="figure_area"),
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.measure} {self.key}: {self.value}"


class Rank(models.Model):
    """An address's score for the viewers of one role, overall (`facet`
    "") or restricted to a family ("F:LOD") or a signal source
    ("S:mma"): the weighted sum of the cells the role sees at that address,
    a suppressed cell counting nothing (docs/hotspots.md "Score"). Only
    scores above zero are kept. Rewritten by `hotspots.rebuild.refresh`."""

    role = models.CharField(max_length=30)
    facet = models.CharField(max_length=45)
    area = models.CharField(max_length=100, blank=True)
    location = models.ForeignKey(
        "casework.Location", on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["role", "facet", "-score", "location"], name="rank_score"
            ),
            models.Index(
                fields=["role", "facet", "area", "-score", "location"],
                name="rank_area_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.facet} {self.location_id}: {self.score}"


class Refresh(models.Model):
    """When the figures were last rebuilt (one row)."""

    finished_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    figures = models.PositiveIntegerField(default=0)
    ranks = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M}"
