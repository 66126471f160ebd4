"""Registers the case-type proxies with Django."""

from .bibob import BibobCase
from .controle import ControleCase
from .lod import LodCase
from .pga import PgaCase

__all__ = ["BibobCase", "ControleCase", "LodCase", "PgaCase"]
