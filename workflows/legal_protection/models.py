"""The legal-protection region (bezwaar, beroep, hoger beroep): one row per
remedy against a besluit of any case type, with its own machine (machine.py)."""

from .machine import LegalProtection

__all__ = ["LegalProtection"]
