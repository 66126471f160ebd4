"""Registers the case-type proxies and the legal-protection region with Django."""

from .bibob import BibobCase
from .bibob_models import BibobConclusion, BibobIntake, BibobSource
from .bibob_terms import DecisionTermPolicy
from .controle import ControleCase
from .controle_models import (
    Briefing,
    Dismissal,
    Finding,
    PartnerSlot,
    Referral,
    Visit,
)
from .handhavingsmatrix import Beleidsregel, LodAssessment, LodDecision, MatrixRule
from .legal_protection import LegalProtection
from .lod import LodCase
from .penalties import Forfeiture, Payment
from .pga import PgaCase
from .pga_models import (
    ActionPoint,
    Conference,
    DeletionLog,
    Goal,
    HealthItem,
    Intervention,
    PgaParticipant,
    PgaPolicy,
    PgaReferral,
    Relation,
    TopXCriterion,
    TopXEntry,
)

__all__ = [
    "Beleidsregel",
    "BibobCase",
    "BibobConclusion",
    "BibobIntake",
    "BibobSource",
    "DecisionTermPolicy",
    "ControleCase",
    "Briefing",
    "Dismissal",
    "Referral",
    "Finding",
    "PartnerSlot",
    "Visit",
    "Forfeiture",
    "LegalProtection",
    "LodAssessment",
    "LodCase",
    "LodDecision",
    "MatrixRule",
    "Payment",
    "PgaCase",
    "ActionPoint",
    "Conference",
    "DeletionLog",
    "Goal",
    "HealthItem",
    "Intervention",
    "PgaParticipant",
    "PgaPolicy",
    "PgaReferral",
    "Relation",
    "TopXCriterion",
    "TopXEntry",
]
