"""The Kadaster and KvK extracts (docs/hotspots.md "Register extracts"):
CSV files checked row by row and column by column, stored all or nothing
(`hotspots.imports`). Who imports them is the decision point's
`permissions.figures.may_import_registers`.

Data minimisation (AVG art. 5 lid 1 c): of a transfer only the date, the
kind of buyer and a legal buyer's KvK number are stored. A file with a
column for a buyer's or seller's name, BSN or date of birth is refused
whole, so such data never reaches the database."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework import validators
from casework.forms import DateField, clean_not_future
from casework.models import Location
from casework.signal_import import BAD_DATE, DATE_FORMATS

from .imports import ALREADY_IMPORTED, Item, Parsed, mark_duplicates, read_csv
from .models import BranchRegistration, OwnershipChange, RegisterUpload

PERSONAL_COLUMN = _(
    "The column %(column)s holds personal data that is not imported (data "
    "minimisation): remove it from the file and upload it again."
)
PERSONAL_COLUMNS = (
    "koper_naam", "koper", "naam", "verkoper", "verkoper_naam", "eigenaar",
    "eigenaar_naam", "bsn", "koper_bsn", "geboortedatum", "koper_geboortedatum",
)  # fmt: skip
NATURAL_WITH_KVK = _(
    "A natural person's KvK number is not stored: leave it empty or give rechtspersoon."
)
BAD_BUYER_KIND = _("Give natuurlijk persoon (np) or rechtspersoon (rp).")
DEREGISTERED_BEFORE = _("The deregistration date lies before the registration date.")
BAD_ESTABLISHMENT = _("An establishment number has twelve digits.")
BAD_SBI = _("An SBI code has four or five digits.")
BAG_OR_ADDRESS = _("Give the postcode and house number of the object.")

BUYER_KINDS = {
    "natuurlijk persoon": OwnershipChange.BuyerKind.NATURAL,
    "natuurlijk": OwnershipChange.BuyerKind.NATURAL,
    "np": OwnershipChange.BuyerKind.NATURAL,
    "rechtspersoon": OwnershipChange.BuyerKind.LEGAL,
    "rp": OwnershipChange.BuyerKind.LEGAL,
}


def _date(**kwargs):
    return DateField(
        input_formats=DATE_FORMATS, error_messages={"invalid": BAD_DATE}, **kwargs
    )


class AddressFields(forms.Form):
    postcode = forms.CharField(max_length=7)
    huisnummer = forms.IntegerField(min_value=1, max_value=99999)
    toevoeging = forms.CharField(required=False, max_length=10)

    def clean_postcode(self):
        value = validators.normalise_postcode(self.cleaned_data["postcode"])
        validators.validate_postcode(value)
        return value

    def clean_toevoeging(self):
        return self.cleaned_data["toevoeging"].upper()


class OwnershipRow(AddressFields):
    bag_id = forms.CharField(
        required=False, max_length=16, validators=[validators.validate_bag_id]
    )
    datum_overdracht = _date()
    koper_soort = forms.CharField(max_length=30)
    koper_kvk = forms.CharField(
        required=False, max_length=8, validators=[validators.validate_kvk]
    )

    def clean_datum_overdracht(self):
        return clean_not_future(self.cleaned_data.get("datum_overdracht"))

    def clean_koper_soort(self):
        value = " ".join(self.cleaned_data["koper_soort"].lower().split())
        if value not in BUYER_KINDS:
            raise forms.ValidationError(BAD_BUYER_KIND)
        return BUYER_KINDS[value]

    def clean(self):
        data = super().clean()
        if data.get("koper_soort") == OwnershipChange.BuyerKind.NATURAL and data.get(
            "koper_kvk"
        ):
            self.add_error("koper_kvk", NATURAL_WITH_KVK)
        return data


class BranchRow(AddressFields):
    kvk_nummer = forms.CharField(max_length=8, validators=[validators.validate_kvk])
    vestigingsnummer = forms.CharField(
        max_length=12, validators=[RegexValidator(r"^[0-9]{12}$", BAD_ESTABLISHMENT)]
    )
    sbi_code = forms.CharField(
        max_length=6, validators=[RegexValidator(r"^[0-9]{4,5}$", BAD_SBI)]
    )
    branche = forms.CharField(max_length=100)
    datum_inschrijving = _date()
    datum_uitschrijving = _date(required=False)
    straat = forms.CharField(required=False, max_length=200)
    plaats = forms.CharField(required=False, max_length=100)

    def clean_datum_inschrijving(self):
        return clean_not_future(self.cleaned_data.get("datum_inschrijving"))

    def clean_datum_uitschrijving(self):
        return clean_not_future(self.cleaned_data.get("datum_uitschrijving"))

    def clean(self):
        data = super().clean()
        start, end = data.get("datum_inschrijving"), data.get("datum_uitschrijving")
        if start and end and end < start:
            self.add_error("datum_uitschrijving", DEREGISTERED_BEFORE)
        return data


def _locations(items, *, with_bag: bool) -> tuple[dict, dict]:
    """(postcode, number, addition) → location id and bag id → location id
    of the known addresses the rows name (two queries at most)."""
    postcodes = {i.cleaned["postcode"] for i in items}
    by_address: dict = {}
    for pk, postcode, number, addition in (
        Location.objects.filter(postcode__in=postcodes)
        .order_by("pk")
        .values_list("pk", "postcode", "house_number", "addition")
    ):
        by_address.setdefault((postcode, number, addition.upper()), pk)
    by_bag: dict = {}
    bag_ids = {i.cleaned.get("bag_id") for i in items} - {"", None}
    if with_bag and bag_ids:
        for pk, bag_id in (
            Location.objects.filter(bag_id__in=bag_ids)
            .order_by("pk")
            .values_list("pk", "bag_id")
        ):
            by_bag.setdefault(bag_id, pk)
    return by_address, by_bag


class _CsvImporter:
    form_class: type[forms.Form]
    columns: tuple = ()
    required: tuple = ()

    def read(self, text: str) -> Parsed:
        refused = {
            column: PERSONAL_COLUMN % {"column": column} for column in PERSONAL_COLUMNS
        }
        return read_csv(
            text, known=self.columns, required=self.required, refused=refused
        )

    def check(self, parsed: Parsed) -> Parsed:
        for item in parsed.items:
            form = self.form_class({c: item.values.get(c, "") for c in self.columns})
            form.is_valid()
            item.cleaned = form.cleaned_data
            for name, errors in form.errors.items():
                for error in errors:
                    item.add_error("" if name == "__all__" else name, error)
        key = self.key
        mark_duplicates(
            parsed, lambda i: key(i.cleaned) if i.ok else None, self.key_column
        )
        existing = self.existing([i for i in parsed.items if i.ok])
        for item in parsed.items:
            if item.ok and key(item.cleaned) in existing:
                item.add_error(self.key_column, ALREADY_IMPORTED)
        return parsed

    def shown(self, item: Item, column: str) -> str:
        value = item.cleaned.get(column) if column not in item.errors else None
        if value is None or column not in item.cleaned:
            return item.values.get(column, "")
        if hasattr(value, "strftime"):
            return value.strftime("%d-%m-%Y")
        if column == "koper_soort":
            return str(OwnershipChange.BuyerKind(value).label)
        return str(value)


class OwnershipImporter(_CsvImporter):
    kind = RegisterUpload.Kind.KADASTER
    form_class = OwnershipRow
    columns = (
        "bag_id", "postcode", "huisnummer", "toevoeging", "datum_overdracht",
        "koper_soort", "koper_kvk",
    )  # fmt: skip
    required = ("postcode", "huisnummer", "datum_overdracht", "koper_soort")
    key_column = "datum_overdracht"

    @staticmethod
    def key(data) -> tuple:
        return (
            data["postcode"], data["huisnummer"], data["toevoeging"],
            data["datum_overdracht"],
        )  # fmt: skip

    def existing(self, items) -> set:
        postcodes = {i.cleaned["postcode"] for i in items}
        return set(
            OwnershipChange.objects.filter(postcode__in=postcodes).values_list(
                "postcode", "house_number", "addition", "transferred_on"
            )
        )

    def store(self, parsed: Parsed, *, upload, user) -> int:
        by_address, by_bag = _locations(parsed.items, with_bag=True)
        rows = []
        for item in parsed.items:
            data = item.cleaned
            address = (data["postcode"], data["huisnummer"], data["toevoeging"])
            rows.append(
                OwnershipChange(
                    bag_id=data["bag_id"],
                    postcode=data["postcode"],
                    house_number=data["huisnummer"],
                    addition=data["toevoeging"],
                    location_id=by_bag.get(data["bag_id"]) or by_address.get(address),
                    transferred_on=data["datum_overdracht"],
                    buyer_kind=data["koper_soort"],
                    buyer_kvk=data["koper_kvk"],
                    upload=upload,
                )
            )
        OwnershipChange.objects.bulk_create(rows)
        return len(rows)


class BranchImporter(_CsvImporter):
    kind = RegisterUpload.Kind.KVK
    form_class = BranchRow
    columns = (
        "kvk_nummer", "vestigingsnummer", "sbi_code", "branche",
        "datum_inschrijving", "datum_uitschrijving", "straat", "huisnummer",
        "toevoeging", "postcode", "plaats",
    )  # fmt: skip
    required = (
        "kvk_nummer", "vestigingsnummer", "sbi_code", "branche",
        "datum_inschrijving", "postcode", "huisnummer",
    )  # fmt: skip
    key_column = "vestigingsnummer"

    @staticmethod
    def key(data) -> tuple:
        return (data["vestigingsnummer"], data["datum_inschrijving"])

    def existing(self, items) -> set:
        numbers = {i.cleaned["vestigingsnummer"] for i in items}
        return set(
            BranchRegistration.objects.filter(
                establishment_number__in=numbers
            ).values_list("establishment_number", "registered_on")
        )

    def store(self, parsed: Parsed, *, upload, user) -> int:
        by_address, _by_bag = _locations(parsed.items, with_bag=False)
        rows = []
        for item in parsed.items:
            data = item.cleaned
            address = (data["postcode"], data["huisnummer"], data["toevoeging"])
            rows.append(
                BranchRegistration(
                    kvk_number=data["kvk_nummer"],
                    establishment_number=data["vestigingsnummer"],
                    sbi_code=data["sbi_code"],
                    branch_label=data["branche"],
                    registered_on=data["datum_inschrijving"],
                    deregistered_on=data["datum_uitschrijving"],
                    street=data["straat"],
                    postcode=data["postcode"],
                    house_number=data["huisnummer"],
                    addition=data["toevoeging"],
                    city=data["plaats"],
                    location_id=by_address.get(address),
                    upload=upload,
                )
            )
        BranchRegistration.objects.bulk_create(rows)
        return len(rows)


def relink() -> int:
    """Link the extracts' rows that no known address matched yet (a
    location added since): set-based, one UPDATE per table."""
    from django.db.models import OuterRef, Subquery

    linked = 0
    for model in (OwnershipChange, BranchRegistration):
        match = Location.objects.filter(
            postcode=OuterRef("postcode"),
            house_number=OuterRef("house_number"),
            addition=OuterRef("addition"),
        ).order_by("pk")
        linked += (
            model.objects.filter(location__isnull=True)
            .filter(Q(postcode__gt=""))
            .update(location_id=Subquery(match.values("pk")[:1]))
        )
    return linked
