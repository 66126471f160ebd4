"""The models of the last onder dwangsom / sluiting: the case-type proxy
(machine.py), the handhavingsmatrix and the decisions taken under it
(handhavingsmatrix.py), and the dwangsom accounting: forfeitures and payments
(penalties.py), costs, refunds and the aanmaningen and dwangbevelen that
interrupt the verjaring (ledger.py)."""

from .handhavingsmatrix import Beleidsregel, LodAssessment, LodDecision, MatrixRule
from .ledger import Charge, CollectionAct, Refund
from .machine import LodCase
from .penalties import Forfeiture, Payment

__all__ = [
    "Beleidsregel",
    "Charge",
    "CollectionAct",
    "Forfeiture",
    "LodAssessment",
    "LodCase",
    "LodDecision",
    "MatrixRule",
    "Payment",
    "Refund",
]
