"""Dutch notation of the monitor's figures: money as the letters write it
("€ 335.500,00", `casework.letters.format_amount`), quantities without
needless decimals ("0,5", "15", "1.250")."""

from __future__ import annotations

from decimal import Decimal

from casework.letters import format_amount

euro = format_amount


def number(value) -> str:
    """12.50 -> "12,5"; 5.00 -> "5"; 1250 -> "1.250"."""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):f}"
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    result = ".".join(groups) or "0"
    return f"{sign}{result},{fraction}" if fraction else f"{sign}{result}"
