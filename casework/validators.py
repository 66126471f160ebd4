"""Validators for Dutch identifiers. Messages are shown to users as field errors."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POSTCODE_RE = re.compile(r"^[1-9][0-9]{3} ?(?!SA|SD|SS)[A-Z]{2}$")


def bsn_is_valid(value: str) -> bool:
    """The elfproef for a burgerservicenummer: 9 digits, weights 9..2 and -1,
    sum divisible by 11 (and not all zeros)."""
    if not re.fullmatch(r"[0-9]{9}", value) or value == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(value[:8], range(9, 1, -1), strict=True))
    total -= int(value[8])
    return total % 11 == 0


def validate_bsn(value: str) -> None:
    if not bsn_is_valid(value):
        raise ValidationError(
            _("Enter a valid BSN: nine digits that pass the eleven test."),
            code="invalid_bsn",
        )


def validate_kvk(value: str) -> None:
    if not re.fullmatch(r"[0-9]{8}", value):
        raise ValidationError(
            _("Enter a KvK number of exactly eight digits."), code="invalid_kvk"
        )


def normalise_postcode(value: str) -> str:
    """'1234ab' / '1234 AB' → '1234 AB'."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) == 6:
        return f"{compact[:4]} {compact[4:]}"
    return (value or "").strip().upper()


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Enter a Dutch postcode such as 5911 AB."), code="invalid_postcode"
        )


def validate_bag_id(value: str) -> None:
    if not re.fullmatch(r"[0-9]{16}", value):
        raise ValidationError(_("A BAG id has sixteen digits."), code="invalid_bag_id")
