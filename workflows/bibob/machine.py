"""Wet Bibob toets: docs/domain.md §3.

Every state of §3.3 and every edge of §3.4, one transition per edge (edges
with several sources share one). Actors map to roles as BIB → the Bibob
coordinator, BO (BGM/B&W) → the burgemeester, who reads the dossier (D5 R)
and signs besluiten (D2 W); a step of the LBB, of the betrokkene (BETR) or of
the system (SYS) is recorded by the coordinator. The few edges §3.4 lacks are
marked "Not in §3.4"; docs/decisions/0009-bibob-states.md lists them.

The guards read the dossier next to the case (`workflows.bibob.models`):
application or revocation inquiry, the sources logged, the conclusion in
force, and the terms (`workflows.bibob.terms`).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_fsm import transition

from casework.models import Case, CaseEvent, Deadline
from casework.rules import guard, refuse
from permissions.models import DataClass, Role
from permissions.transitions import allowed_roles
from workflows.bibob.acts import is_besluit
from workflows.bibob.models import BibobConclusion, BibobIntake, BibobSource, Danger
from workflows.legal_protection.machine import DecisionKind, LegalProtection, Outcome

# The code stored on Case.case_type and used in references (2026-BIB-0001).
CODE = "BIB"


class BibobStatus(models.TextChoices):
    B00 = "B00", _("Application / signal received")
    B05 = "B05", _("Regular assessment")
    B10 = "B10", _("Bibob screening decision")
    B20 = "B20", _("Questionnaire issued")
    B21 = "B21", _("Incomplete – repair period")
    B22 = "B22", _("Not processed")
    B30 = "B30", _("Own investigation")
    B35 = "B35", _("Own-investigation conclusion")
    B36 = "B36", _("Own conclusion reported to LBB")
    B40 = "B40", _("LBB advice requested")
    B41 = "B41", _("LBB extra questions")
    B42 = "B42", _("LBB extension notified")
    B43 = "B43", _("LBB declines")
    B45 = "B45", _("Advice received – verify")
    B46 = "B46", _("Supplementary advice requested")
    B50 = "B50", _("Decision-making (proportionality)")
    B60 = "B60", _("Intention sent – views period")
    B65 = "B65", _("Views received")
    B70 = "B70", _("Granted")
    B71 = "B71", _("Granted with conditions")
    B72 = "B72", _("Refused")
    B73 = "B73", _("Revoked")
    B75 = "B75", _("Notified")
    B80 = "B80", _("Application withdrawn")
    B90 = "B90", _("Correction report to LBB")
    B99 = "B99", _("Closed – archived (5-year reuse)")


S = BibobStatus

# Legal bases of the deadlines the Bibob steps set (workflows/bibob/steps.py).
REPAIR_BASIS = "Awb 4:5"
NOT_PROCESSED_BASIS = "Awb 4:5 lid 4"
ZIENSWIJZE_BASIS = "Awb 4:8 (Wet Bibob art 33)"
THIRD_PARTY_VIEWS_BASIS = "Wet Bibob art 33 lid 1 (derde)"
ART32_BASIS = "Wet Bibob art 32"
REPORT_BASIS = "Wet Bibob art 7a lid 7"
WITHDRAWAL_REPORT_BASIS = "Wet Bibob art 7a lid 8"


# Guards ---------------------------------------------------------------------
#
# Each guard answers with a `casework.rules.Refusal` naming the rule (and the
# date, where one is at stake) instead of False (`casework.rules.guard`);
# `why_not` and `manage.py replay` show it.


def _intake(case) -> BibobIntake | None:
    return BibobIntake.objects.filter(case=case).first()


def _is_application(case) -> bool:
    intake = _intake(case)
    return intake is None or intake.is_application


def _is_revocation(case) -> bool:
    intake = _intake(case)
    return intake is not None and not intake.is_application


@guard
def is_application(case):
    """An application (a decision to take on request) rather than a
    revocation inquiry. Before the intake is recorded the case counts as an
    application."""
    if _is_application(case):
        return None
    return refuse(
        "Wet Bibob art 3 lid 1",
        _("This step belongs to an application; this case is a revocation inquiry."),
    )


@guard
def is_revocation(case):
    if _is_revocation(case):
        return None
    return refuse(
        "Wet Bibob art 3 lid 1",
        _("This step belongs to a revocation inquiry; this case is an application."),
    )


@guard
def awb_application(case):
    """Awb 4:5 (herstelverzuim, buiten behandeling) applies to an application
    for a beschikking only: not to a revocation inquiry, nor to a
    vastgoedtransactie, a private-law act (Wet Bibob art 5a; Awb 1:3)."""
    if not _is_application(case):
        return refuse(
            "Awb 4:5",
            _("An application can be incomplete; this case is a revocation inquiry."),
        )
    if not is_besluit(case):
        return refuse(
            "Awb 4:5; Wet Bibob art 5a",
            _(
                "A real-estate transaction is a private-law act, not an "
                "application for a beschikking: Awb 4:5 does not apply."
            ),
        )
    return None


def _running_until(case, basis: str):
    """The last day of the latest running term on `basis`, or None."""
    row = (
        Deadline.objects.filter(
            case=case,
            legal_basis=basis,
            state__in=[Deadline.State.OPEN, Deadline.State.SUSPENDED],
            end_date__gte=timezone.localdate(),
        )
        .order_by("-end_date")
        .first()
    )
    return row.end_date if row else None


def _term_running(case, basis: str) -> bool:
    return _running_until(case, basis) is not None


@guard
def repair_term_over(case):
    """§3.4 B21 → B22 "Term lapsed": not while the repair period runs."""
    until = _running_until(case, REPAIR_BASIS)
    if until is None:
        return None
    return refuse(
        "Awb 4:5 lid 1",
        _("The period to complete the application runs until %(date)s."),
        on=until,
    )


@guard
def views_heard_or_term_over(case):
    """Art 33: decide after the views, or once their period has passed; and
    never while the period of a third party named in the voornemen runs
    (art 33 lid 1), views of the betrokkene or not."""
    third = _running_until(case, THIRD_PARTY_VIEWS_BASIS)
    if third is not None:
        return refuse(
            "Wet Bibob art 33 lid 1",
            _(
                "The period for views of a third party named in the intention "
                "runs until %(date)s."
            ),
            on=third,
        )
    if case.status == S.B65:
        return None
    until = _running_until(case, ZIENSWIJZE_BASIS)
    if until is None:
        return None
    return refuse(
        "Wet Bibob art 33; Awb 4:8",
        _("The period for views on the intention runs until %(date)s."),
        on=until,
    )


@guard
def sources_logged(case):
    """§3.4 B30 → B35 "Sources logged per legal basis"."""
    if BibobSource.objects.filter(case=case).exists():
        return None
    return refuse(
        "Wet Bibob art 7a",
        _("Log at least one consulted source with its legal basis first."),
    )


def conclusion_of(case) -> BibobConclusion | None:
    """The conclusion in force: the newest one recorded."""
    return BibobConclusion.objects.filter(case=case).first()


NO_CONCLUSION = _("No conclusion on the degree of danger has been recorded.")


@guard
def no_danger_concluded(case):
    c = conclusion_of(case)
    if c is None:
        return refuse("Wet Bibob art 3", NO_CONCLUSION)
    if c.degree == Danger.GEEN and not c.advice_needed and not c.ground_6:
        return None
    return refuse(
        "Wet Bibob art 3",
        _("The conclusion in force is not “no danger”."),
    )


@guard
def danger_concluded_without_advice(case):
    """§3.4 B35 → B36: own conclusion mindere mate or ernstig, no advice asked."""
    c = conclusion_of(case)
    if c is not None and c.is_danger and not c.advice_needed:
        return None
    return refuse(
        "Wet Bibob art 7a lid 7",
        _("Only an own conclusion of danger without LBB advice is reported."),
    )


@guard
def advice_needed(case):
    c = conclusion_of(case)
    if c is not None and c.advice_needed:
        return None
    return refuse(
        "Wet Bibob art 9",
        _("The conclusion in force does not say that the LBB's advice is needed."),
    )


@guard
def danger_weighed(case):
    """§3.4 B50 → B60 "3 lid 5 proportionality": a danger (or the art 3 lid 6
    ground) concluded and the proportionality reasoning recorded."""
    c = conclusion_of(case)
    if c is None:
        return refuse("Wet Bibob art 3", NO_CONCLUSION)
    if not (c.is_danger or c.ground_6):
        return refuse(
            "Wet Bibob art 3 lid 1 en lid 7",
            _("The conclusion in force finds no danger: there is nothing to intend."),
        )
    if not c.proportionality.strip():
        return refuse(
            "Wet Bibob art 3 lid 5",
            _("Record the proportionality reasoning first."),
        )
    return None


@guard
def serious_danger(case):
    """A refusal (or revocation) needs ernstig gevaar on the a- or b-ground
    (art 3 lid 1), or offences committed to obtain the beschikking (art 3
    lid 6), with the proportionality reasoning (lid 5). A lesser degree of
    danger allows only conditions (lid 7)."""
    c = conclusion_of(case)
    if c is None:
        return refuse("Wet Bibob art 3", NO_CONCLUSION)
    lid1 = c.degree == Danger.ERNSTIG and (c.ground_a or c.ground_b)
    if not (lid1 or c.ground_6):
        if c.degree == Danger.MINDERE_MATE:
            return refuse(
                "Wet Bibob art 3 lid 1 en lid 7",
                _(
                    "The conclusion in force is danger to a lesser degree: that "
                    "allows conditions (art 3 lid 7), not a refusal or revocation."
                ),
            )
        return refuse(
            "Wet Bibob art 3 lid 1",
            _(
                "A refusal or revocation needs serious danger on the a- or "
                "b-ground (art 3 lid 1) or the ground of art 3 lid 6."
            ),
        )
    if not c.proportionality.strip():
        return refuse(
            "Wet Bibob art 3 lid 5",
            _("Record the proportionality reasoning first."),
        )
    return None


def form_refused(case) -> bool:
    """Art 4 lid 1: the holder refused the questionnaire (B20 → B60)."""
    return CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.STATUS, from_status=S.B20, to_status=S.B60
    ).exists()


@guard
def revocation_grounded(case):
    if not _is_revocation(case):
        return refuse(
            "Wet Bibob art 3 lid 1",
            _("Only a beschikking already given can be revoked."),
        )
    if form_refused(case):
        return None
    return serious_danger.explain(case)


@guard
def lbb_extension_not_used(case):
    """Art 15 lid 3: the LBB extends once."""
    from workflows.bibob.terms import lbb_extension_used

    if not lbb_extension_used(case):
        return None
    return refuse(
        "Wet Bibob art 15 lid 3",
        _("The LBB can extend its advice term only once."),
    )


@guard
def art31_cap_passed(case):
    """Art 31: the decision term stays suspended for the advice at most 8
    weeks + the art 15 lid 2 intervals + the one extension (≤ 4 weeks). Once
    that cap has passed without an advice the term runs again, and the body
    weighs the case without it."""
    from workflows.bibob.terms import art31_cap

    cap = art31_cap(case)
    if cap is not None and timezone.localdate() > cap:
        return None
    return refuse(
        "Wet Bibob art 31",
        _("The advice may still come: its term runs until %(date)s."),
        on=cap,
    )


@guard
def art32_notice_pending(case):
    if Deadline.objects.filter(
        case=case,
        legal_basis=ART32_BASIS,
        state__in=[Deadline.State.OPEN, Deadline.State.MISSED],
    ).exists():
        return None
    return refuse(ART32_BASIS, _("The art 32 notice has already been recorded."))


@guard
def besluit_revoked(case):
    """§3.4 "R30/R40 outcome → B90": bezwaar or beroep against the Bibob
    besluit was upheld."""
    if LegalProtection.objects.filter(
        case=case, decision_kind=DecisionKind.OTHER, outcome=Outcome.UPHELD
    ).exists():
        return None
    return refuse(
        "Wet Bibob art 7a lid 7",
        _("No bezwaar or beroep against the besluit has been upheld."),
    )


@guard
def is_own_conclusion(case):
    """A correction report (7a lid 7) is owed only for an own conclusion
    reported to the LBB (B36 in the history)."""
    if CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.STATUS, to_status=S.B36
    ).exists():
        return None
    return refuse(
        "Wet Bibob art 7a lid 7",
        _("No own conclusion was reported to the LBB."),
    )


BIB = allowed_roles(Role.BIBOB)
# The bestuursorgaan reads the dossier (D5) and signs besluiten (D2).
BGM = allowed_roles(Role.BURGEMEESTER, writes=DataClass.D2)
BIB_BGM = allowed_roles(Role.BIBOB, Role.BURGEMEESTER, writes=DataClass.D2)

# Before a besluit: where the applicant can still withdraw.
BEFORE_BESLUIT = [
    S.B00, S.B05, S.B10, S.B20, S.B21, S.B30, S.B35, S.B36, S.B40, S.B41, S.B42,
    S.B43, S.B45, S.B46, S.B50, S.B60, S.B65,
]  # fmt: skip
ADVICE_PENDING = [S.B40, S.B41, S.B42]


class BibobCase(Case):
    INITIAL = BibobStatus.B00
    TERMINAL = frozenset({BibobStatus.B99, BibobStatus.B80})
    Status = BibobStatus

    class Meta:
        proxy = True

    # Intake and screening

    @transition(
        field="status",
        source=S.B00,
        target=S.B05,
        permission=BIB,
        custom={"label": _("Start regular assessment")},
    )
    def start_regular_assessment(self) -> None:
        """B00 → B05: intake; the ordinary grounds for refusal come first. For
        an application the decision term starts (§3.2)."""

    @transition(
        field="status",
        source=S.B05,
        target=S.B10,
        permission=BIB,
        custom={"label": _("Start screening")},
    )
    def start_screening(self) -> None:
        """B05 → B10: decide whether the Wet Bibob is applied."""

    # BIB in §3.4; the regular besluit follows from the permit process.
    @transition(
        field="status",
        source=S.B10,
        target=S.B70,
        permission=BIB,
        conditions=[is_application],
        custom={"label": _("No Bibob needed: grant")},
    )
    def grant_without_bibob(self) -> None:
        """B10 → B70: no Bibob toets; the regular assessment was positive."""

    # Not in §3.4: a revocation inquiry that needs no Bibob toets ends here.
    @transition(
        field="status",
        source=S.B10,
        target=S.B99,
        permission=BIB,
        conditions=[is_revocation],
        custom={"label": _("No Bibob needed: close the inquiry")},
    )
    def drop_inquiry(self) -> None:
        """B10 → B99: the signal gives no reason to apply the Wet Bibob."""

    @transition(
        field="status",
        source=S.B10,
        target=S.B20,
        permission=BIB,
        custom={"label": _("Apply Bibob: issue the questionnaire")},
    )
    def apply_bibob(self) -> None:
        """B10 → B20: within scope (art 5–7, sector law) and the beleidslijn;
        Bibob-vragenformulier (Regeling Bibob-formulieren 2024) with a cover
        letter (art 7a lid 2/3)."""

    # Questionnaire

    @transition(
        field="status",
        source=S.B20,
        target=S.B21,
        permission=BIB,
        conditions=[awb_application],
        custom={"label": _("Incomplete: ask for completion")},
    )
    def report_incomplete(self) -> None:
        """B20 → B21: herstelverzuim (Awb 4:5); the decision term is suspended
        from the day after the invitation (4:15 lid 1 a)."""

    # BETR in §3.4: the coordinator records the completion.
    @transition(
        field="status",
        source=S.B21,
        target=S.B30,
        permission=BIB,
        custom={"label": _("Record completion")},
    )
    def receive_completion(self) -> None:
        """B21 → B30: the application was completed; the suspension ends."""

    # SYS/BIB in §3.4.
    @transition(
        field="status",
        source=S.B21,
        target=S.B22,
        permission=BIB,
        conditions=[awb_application, repair_term_over],
        custom={"label": _("Set aside (not processed)")},
    )
    def set_aside(self) -> None:
        """B21 → B22: the repair period lapsed; besluit buiten behandeling
        (4:5), made known within four weeks (4:5 lid 4)."""

    # BETR → BIB in §3.4.
    @transition(
        field="status",
        source=S.B20,
        target=S.B30,
        permission=BIB,
        custom={"label": _("Questionnaire complete")},
    )
    def receive_form(self) -> None:
        """B20 → B30: the form and documents are complete; own investigation."""

    # §3.4 "B20 → B73 path", BIB: the voornemen to revoke goes out first.
    @transition(
        field="status",
        source=S.B20,
        target=S.B60,
        permission=BIB_BGM,
        conditions=[is_revocation],
        custom={"label": _("Holder refuses the form: intend to revoke")},
    )
    def propose_revocation_form_refused(self) -> None:
        """B20 → B60: a holder refuses to complete the form in a revocation
        inquiry: ernstig gevaar by fiction (art 4 lid 1); voornemen intrekking."""

    # Own investigation and conclusion

    @transition(
        field="status",
        source=S.B30,
        target=S.B35,
        permission=BIB,
        conditions=[sources_logged],
        custom={"label": _("Conclude the own investigation")},
    )
    def conclude_investigation(self) -> None:
        """B30 → B35: every consulted source is logged with its legal basis;
        formulier bevindingen eigen onderzoek."""

    @transition(
        field="status",
        source=S.B35,
        target=S.B70,
        permission=BIB_BGM,
        conditions=[no_danger_concluded],
        custom={"label": _("No danger: grant")},
    )
    def conclude_no_danger(self) -> None:
        """B35 → B70: geen gevaar; the application is granted (in a revocation
        inquiry: the beschikking stands)."""

    @transition(
        field="status",
        source=S.B35,
        target=S.B36,
        permission=BIB,
        conditions=[danger_concluded_without_advice],
        custom={"label": _("Report own conclusion to the LBB")},
    )
    def report_own_conclusion(self) -> None:
        """B35 → B36: mindere mate or ernstig gevaar without LBB advice, reported
        to the LBB without delay (7a lid 7)."""

    # BO (BGM/B&W) in §3.4: the coordinator sends the request on the organ's
    # mandate, because the step suspends the decision term on the case file,
    # which only the coordinator may change (docs/decisions/0009).
    @transition(
        field="status",
        source=S.B35,
        target=S.B40,
        permission=BIB,
        conditions=[advice_needed],
        custom={"label": _("Request LBB advice")},
    )
    def request_advice(self) -> None:
        """B35 → B40: adviesaanvraag (art 9, 7a lid 4); the decision term is
        suspended from this day (art 31); the betrokkene is told (art 32)."""

    # LBB advice

    # Not in §3.4 as an edge: the art 32 notice is a tracked step while the
    # advice is pending; the status stays.
    @transition(
        field="status",
        source=S.B40,
        target=S.B40,
        permission=BIB,
        conditions=[art32_notice_pending],
        custom={"label": _("Record art 32 notice sent")},
    )
    @transition(
        field="status",
        source=S.B41,
        target=S.B41,
        permission=BIB,
        conditions=[art32_notice_pending],
        custom={"label": _("Record art 32 notice sent")},
    )
    @transition(
        field="status",
        source=S.B42,
        target=S.B42,
        permission=BIB,
        conditions=[art32_notice_pending],
        custom={"label": _("Record art 32 notice sent")},
    )
    def send_art32_notice(self) -> None:
        """B40/B41/B42: the betrokkene is told that advice was asked (art 32)."""

    # LBB in §3.4, here and below: the coordinator records what the LBB did.
    # Not in §3.4 from B42: the LBB may still ask for data after extending.
    @transition(
        field="status",
        source=[S.B40, S.B42],
        target=S.B41,
        permission=BIB,
        custom={"label": _("LBB asks for more data")},
    )
    def lbb_requests_data(self) -> None:
        """B40 → B41: the LBB's term stands still while data is missing (art 15
        lid 2); refusing it is ernstig gevaar by fiction (art 4 lid 2)."""

    # BETR/BO in §3.4.
    @transition(
        field="status",
        source=S.B41,
        target=S.B40,
        permission=BIB,
        custom={"label": _("Data supplied to the LBB")},
    )
    def lbb_data_supplied(self) -> None:
        """B41 → B40: the interval closes; the art 31 cap moves by its days."""

    @transition(
        field="status",
        source=S.B40,
        target=S.B42,
        permission=BIB,
        conditions=[lbb_extension_not_used],
        custom={"label": _("LBB extends its term")},
    )
    def lbb_extends(self) -> None:
        """B40 → B42: one extension of at most four weeks (art 15 lid 3)."""

    # Not in §3.4 from B42: declining after an extension.
    @transition(
        field="status",
        source=[S.B40, S.B42],
        target=S.B43,
        permission=BIB,
        custom={"label": _("LBB declines to advise")},
    )
    def lbb_declines(self) -> None:
        """B40 → B43: the own investigation was insufficient (art 9 lid 5); the
        art 31 suspension ends."""

    @transition(
        field="status",
        source=S.B43,
        target=S.B30,
        permission=BIB,
        custom={"label": _("Resume the own investigation")},
    )
    def resume_investigation(self) -> None:
        """B43 → B30: the own investigation is completed and concluded anew."""

    @transition(
        field="status",
        source=[S.B40, S.B42],
        target=S.B45,
        permission=BIB,
        custom={"label": _("Record advice received")},
    )
    def receive_advice(self) -> None:
        """B40/B42 → B45: the advice (D5, secret) arrived; the art 31 suspension
        ends on this day."""

    # Not in §3.4: the art 31 cap passed without an advice; the decision term
    # runs again and the body decides on what it has (Justis: "after at most
    # 12 weeks the suspension ends even when the advice is not ready").
    @transition(
        field="status",
        source=[S.B40, S.B42],
        target=S.B50,
        permission=BIB,
        conditions=[art31_cap_passed],
        custom={"label": _("Advice term over: weigh without the advice")},
    )
    def proceed_without_advice(self) -> None:
        """B40/B42 → B50: the art 31 cap passed; the suspension has ended."""

    @transition(
        field="status",
        source=[S.B45, S.B65],
        target=S.B46,
        permission=BGM,
        custom={"label": _("Request supplementary advice")},
    )
    def request_supplementary_advice(self) -> None:
        """B45/B65 → B46: new facts, e.g. from the zienswijze ([J-NA])."""

    @transition(
        field="status",
        source=S.B46,
        target=S.B45,
        permission=BIB,
        custom={"label": _("Record supplementary advice received")},
    )
    def receive_supplementary_advice(self) -> None:
        """B46 → B45: verify again."""

    @transition(
        field="status",
        source=S.B45,
        target=S.B50,
        permission=BIB,
        custom={"label": _("Record verification (Awb 3:9)")},
    )
    def verify_advice(self) -> None:
        """B45 → B50: the vergewisplicht is met; vergewisnotitie in the note."""

    # Decision-making

    # Not in §3.4 from B60/B65: the views can take the danger away.
    @transition(
        field="status",
        source=[S.B50, S.B60, S.B65],
        target=S.B70,
        permission=BGM,
        conditions=[views_heard_or_term_over],
        custom={"label": _("Grant")},
    )
    def grant(self) -> None:
        """B50 → B70: no danger, or refusal would be disproportionate."""

    @transition(
        field="status",
        source=[S.B36, S.B50],
        target=S.B60,
        permission=BGM,
        conditions=[danger_weighed],
        custom={"label": _("Send intention")},
    )
    def send_intention(self) -> None:
        """B36/B50 → B60: voornemen (weigering, intrekking or voorschriften)
        with a copy of the advice and the art 28 lid 3 warning; views of the
        betrokkene and named third parties (art 33)."""

    # BETR/derde in §3.4.
    @transition(
        field="status",
        source=S.B60,
        target=S.B65,
        permission=BIB,
        custom={"label": _("Record views")},
    )
    def receive_views(self) -> None:
        """B60 → B65: zienswijze received or heard (Awb 4:9 via art 33 lid 3)."""

    @transition(
        field="status",
        source=[S.B60, S.B65],
        target=S.B71,
        permission=BGM,
        conditions=[is_application, views_heard_or_term_over, danger_weighed],
        custom={"label": _("Grant with conditions")},
    )
    def grant_with_conditions(self) -> None:
        """B60/B65 → B71: mindere mate, or ernstig gevaar where refusal would be
        disproportionate (art 3 lid 7)."""

    @transition(
        field="status",
        source=[S.B60, S.B65],
        target=S.B72,
        permission=BGM,
        conditions=[is_application, views_heard_or_term_over, serious_danger],
        custom={"label": _("Refuse")},
    )
    def refuse(self) -> None:
        """B60/B65 → B72: ernstig gevaar (art 3 lid 1, a or b), proportionate;
        the motivation uses advice data only as needed (art 28 lid 2 a)."""

    @transition(
        field="status",
        source=[S.B60, S.B65],
        target=S.B73,
        permission=BGM,
        conditions=[views_heard_or_term_over, revocation_grounded],
        custom={"label": _("Revoke")},
    )
    def revoke(self) -> None:
        """B60/B65 → B73: intrekking (art 3 lid 1; art 4 lid 1)."""

    # SYS in §3.4: the coordinator records the bekendmaking. Not in §3.4 from
    # B22: the besluit buiten behandeling is a besluit too.
    @transition(
        field="status",
        source=[S.B22, S.B70, S.B71, S.B72, S.B73],
        target=S.B75,
        permission=BIB,
        custom={"label": _("Record notification")},
    )
    def notify_decision(self) -> None:
        """B22/B7x → B75: made known (Awb 3:41); the decision term is met and
        the legal protection (R00) against the besluit opens."""

    @transition(
        field="status",
        source=S.B75,
        target=S.B90,
        permission=BIB,
        conditions=[besluit_revoked, is_own_conclusion],
        custom={"label": _("Report correction to the LBB")},
    )
    def report_correction(self) -> None:
        """B75 → B90: the conclusion was overturned in bezwaar or beroep; the
        correction goes to the LBB (7a lid 7)."""

    @transition(
        field="status",
        source=[S.B75, S.B90],
        target=S.B99,
        permission=BIB,
        custom={"label": _("Close and archive")},
    )
    def close(self) -> None:
        """B75/B90 → B99: archived; the findings may be reused for five years
        (art 29)."""

    # BETR in §3.4: the coordinator records the withdrawal.
    @transition(
        field="status",
        source=BEFORE_BESLUIT,
        target=S.B80,
        permission=BIB,
        conditions=[is_application],
        custom={"label": _("Register withdrawal")},
    )
    def withdraw(self) -> None:
        """Any state before the besluit → B80: the applicant withdraws; if
        Bibob-related, reported to the LBB (7a lid 8)."""
