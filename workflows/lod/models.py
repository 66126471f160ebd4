"""The models of the last onder dwangsom / sluiting: the case-type proxy
(machine.py), the handhavingsmatrix and the decisions taken under it
(handhavingsmatrix.py), and the dwangsom accounting (penalties.py)."""

from .handhavingsmatrix import Beleidsregel, LodAssessment, LodDecision, MatrixRule
from .machine import LodCase
from .penalties import Forfeiture, Payment

__all__ = [
    "Beleidsregel",
    "Forfeiture",
    "LodAssessment",
    "LodCase",
    "LodDecision",
    "MatrixRule",
    "Payment",
]
