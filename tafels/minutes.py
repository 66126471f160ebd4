"""The minutes of a meeting as a letter, one per reader.

The text is a `casework.letters.LetterTemplate` (layout "report") laid out by
`casework.pdf` with the deployment's letterhead, like every document Casework
makes. Unlike a case's letters it is never stored as one PDF: a stored
document whose content differs per partner (the registry's
`Letter.per_reader`, the plan van aanpak) can only be read by whoever may
read all of it. The minutes are instead rendered for each reader from the
agenda the decision point lets that reader see (`selectors.agenda_for`), with
the reader and the moment in the footer. A closed meeting no longer changes,
so a reader gets the same minutes each time, as long as its rights stay the
same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from casework import pdf
from casework.documents import letterhead
from casework.letters import (
    REFERENCE,
    Block,
    Facts,
    Field,
    Grid,
    Heading,
    LetterTemplate,
    Para,
    esc,
    format_date,
)

from .selectors import Agenda, participants_of


def _body(i: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = [
        Facts(
            (
                ("Tafel", esc(i["table"])),
                ("Soort", esc(i["kind"])),
                ("Datum", format_date(i["date"])),
                ("Plaats", esc(i.get("place") or "—")),
                ("Voorzitter", esc(i["chair"])),
                ("Deelnemers", esc(", ".join(i["participants"]))),
                ("Opgemaakt voor", esc(i["reader"])),
                ("Vastgesteld op", format_date(i["established"])),
            )
        ),
        Para(
            "Dit verslag bevat alleen de onderwerpen, besluiten en actiepunten die "
            "u mag inzien. Iedere deelnemer ontvangt een eigen verslag: de besluiten "
            "en actiepunten van een partner zijn voor die partner en de voorzitter."
        ),
    ]
    if not i["subjects"]:
        blocks.append(Para("Er staan geen onderwerpen op de agenda die u mag inzien."))
    for number, subject in enumerate(i["subjects"], start=1):
        blocks += [
            Heading(f"{number}. {esc(subject['what'])}"),
            Facts(
                (
                    ("Geagendeerd door", esc(subject["put_by"])),
                    ("Reden", esc(subject["reason"])),
                )
            ),
        ]
        if subject["decisions"]:
            blocks.append(
                Grid(
                    ("Partner", "Besluit of toezegging"),
                    tuple(
                        (esc(d["partner"]), esc(d["text"]))
                        for d in subject["decisions"]
                    ),
                    (0.3, 0.7),
                )
            )
        if subject["action_points"]:
            blocks.append(
                Grid(
                    ("Door", "Actiepunt", "Uiterlijk", "Wordt"),
                    tuple(
                        (
                            esc(p["partner"]),
                            esc(p["description"]),
                            format_date(p["due_on"]),
                            esc(p["becomes"]),
                        )
                        for p in subject["action_points"]
                    ),
                    (0.22, 0.43, 0.17, 0.18),
                )
            )
    return blocks


MINUTES = LetterTemplate(
    key="verslag_tafel",
    version="2026.1",
    title="Verslag",
    document=gettext_lazy("The minutes"),
    fields=(
        REFERENCE,
        Field("table", gettext_lazy("the table")),
        Field("date", gettext_lazy("the date of the meeting"), kind="date"),
        Field("established", gettext_lazy("the date of the minutes"), kind="date"),
        Field("reader", gettext_lazy("the reader")),
    ),
    body=_body,
    layout="report",
    banner="Vertrouwelijk: verslag per lezer; niet doorsturen.",
)


def inputs_for(agenda: Agenda, *, reader: str) -> dict:
    """The minutes' inputs: what `agenda` (one reader's) shows."""
    meeting = agenda.meeting
    table = meeting.table
    subjects = []
    for item in agenda.items:
        subject = item.subject
        subjects.append(
            {
                "what": item.label,
                "put_by": f"{subject.organisation.name}, "
                f"{timezone.localtime(subject.put_at):%d-%m-%Y}",
                "reason": subject.reason,
                "decisions": [
                    {"partner": d.organisation.name, "text": d.text}
                    for d in item.decisions
                ],
                "action_points": [
                    {
                        "partner": p.organisation.name,
                        "description": p.description,
                        "due_on": p.due_on.isoformat(),
                        "becomes": _becomes(p),
                    }
                    for p in item.action_points
                ],
            }
        )
    return {
        "reference": f"TAFEL-{meeting.pk}",
        "table": table.name,
        "kind": str(table.get_kind_display()),
        "date": meeting.date.isoformat(),
        "place": meeting.place,
        "chair": table.chair.name,
        "participants": sorted(o.name for o in participants_of(table)),
        "reader": reader,
        "established": timezone.localdate(meeting.closed_at).isoformat(),
        "subjects": subjects,
    }


def _becomes(point) -> str:
    if not point.case_visible:
        return "taak" if point.deadline_id else "nieuwe zaak"
    if point.deadline_id:
        return f"termijn in {point.case.reference}"
    return f"zaak {point.case.reference}"


def render(inputs: Mapping[str, Any], *, watermark: str) -> bytes:
    """The minutes as PDF: `casework.pdf.render_letter` with this template,
    which is no case's letter and so not in the index the letter pages offer
    (`casework.letters.TEMPLATES`): the same checks, layout and footer."""
    return pdf.render_letter(
        MINUTES, inputs, letterhead=letterhead(), watermark=watermark
    )
