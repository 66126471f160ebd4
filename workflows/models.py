"""Registers the case-type proxies and the legal-protection region with Django."""

from .bibob import BibobCase
from .controle import ControleCase
from .legal_protection import LegalProtection
from .lod import LodCase
from .pga import PgaCase

__all__ = ["BibobCase", "ControleCase", "LegalProtection", "LodCase", "PgaCase"]
