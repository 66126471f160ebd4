"""The models of the gebiedsverbod / verblijfsontzegging: the case-type proxy
(machine.py) and the package's own tables (measures.py)."""

from .machine import GebiedsverbodCase
from .measures import (
    ApvPolicy,
    Extension,
    Incident,
    Intention,
    Measure,
    ViolationReport,
    Warning,
)

__all__ = [
    "ApvPolicy",
    "Extension",
    "GebiedsverbodCase",
    "Incident",
    "Intention",
    "Measure",
    "ViolationReport",
    "Warning",
]
