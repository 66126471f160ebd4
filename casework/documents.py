"""Generated letters: validated, rendered once, stored immutably.

Rendering is `casework.pdf` (a pure function); this module adds the case, the
access check, versioning and the SHA-256. A correction is a new version.
"""

import hashlib
import json
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from permissions.decision import (
    EXPORT,
    MAKE_LETTER,
    decide,
    log_refusal,
    read_classes_on_case,
)
from permissions.models import SENSITIVE_CLASSES, AccessLog, DataClass
from permissions.services import log_access

from . import pdf
from .letters import Problem
from .models import Case, CaseEvent, Document, Signal

NOT_ALLOWED = _("You may not make letters in this case.")
POLICE_TEXT = _(
    "text from the police report of the case (data class D3) may not go into a "
    "letter to the person concerned: the report, supplied under Wpg 16 lid 1 b, "
    "is not passed on; describe the facts in your own words"
)
# A run of this many consecutive words shared with a police report counts as
# copied; shorter runs ("in de woning aan de Kerkstraat") are ordinary phrasing.
COPIED_WORDS = 8


def _words(text: str) -> list[str]:
    """The words of text, compared without case, accents or punctuation, so
    that retyping "COCAÏNE," as "cocaine" does not hide a copy."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.findall(r"\w+", plain)


def _word_runs(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {
        tuple(words[i : i + COPIED_WORDS]) for i in range(len(words) - COPIED_WORDS + 1)
    }


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def police_text_problems(case: Case, inputs: dict) -> list[Problem]:
    """The inputs that copy a police report (D3 signal) of the case.

    docs/domain.md §2.5: the police report itself is never forwarded; issue 4 item
    6: it never goes into a letter to the overtreder. Only the summaries of D3
    signals linked to the case are compared; nothing about the match is logged,
    so the refusal does not copy the report into yet another place.
    """
    reports = Signal.objects.filter(cases=case, data_class=DataClass.D3).values_list(
        "summary", flat=True
    )
    runs = set()
    for summary in reports:
        runs |= _word_runs(summary)
    if not runs:
        return []
    return [
        Problem(key, str(POLICE_TEXT))
        for key, value in inputs.items()
        if any(_word_runs(text) & runs for text in _strings(value))
    ]


def letterhead() -> "pdf.Letterhead":
    """The deployment's letterhead, from settings (.env.example)."""
    return pdf.Letterhead(
        organisation=settings.CASEWORK_MUNICIPALITY,
        department=settings.CASEWORK_DEPARTMENT,
        address_lines=tuple(
            line.strip()
            for line in settings.CASEWORK_ADDRESS.split("|")
            if line.strip()
        ),
        signer_title=settings.CASEWORK_SIGNER_TITLE,
    )


@transaction.atomic
def document_generate(
    *, case: Case, user, template_key: str, inputs: dict, data_class: str | None = None
) -> Document:
    """Render the letter and store it as the next version for this case.

    Raises `pdf.LetterValidationError` (with the missing fields and the legal
    reason) before anything is stored when required inputs are missing, or
    when a letter to the person concerned copies a police report of the case.
    """
    from .competence import BODY_INPUT
    from .letters import DATA_CLASS_OF
    from .registry import registry

    data_class = data_class or DATA_CLASS_OF.get(template_key, DataClass.D2)
    template = pdf.get_template(template_key)
    if not may_make(user, case, template_key, data_class=data_class):
        raise PermissionDenied(NOT_ALLOWED)
    # JSON round trip: what is stored is exactly what was rendered.
    inputs = json.loads(json.dumps(inputs, default=str))
    # The body the case names, never one typed in (casework/competence.py);
    # stored with the inputs.
    inputs.pop(BODY_INPUT, None)
    letter = registry.letters.get(template_key)
    if letter is not None and letter.competence is not None:
        inputs[BODY_INPUT] = letter.competence(registry.proxy_for(case))
    if letter is not None and letter.recorded is not None:
        # The decisive content comes from the recorded decision, not retyping.
        inputs.update(letter.recorded(registry.proxy_for(case), inputs))
        inputs = json.loads(json.dumps(inputs, default=str))
    if template.addressed_to_the_party:
        problems = police_text_problems(case, inputs)
        if problems:
            try:
                pdf.validate(template_key, inputs)
            except pdf.LetterValidationError as exc:
                problems = exc.problems + problems
            raise pdf.LetterValidationError(template, problems)
    content = pdf.render_letter(template_key, inputs, letterhead=letterhead())
    # Lock the case row so two versions cannot get the same number.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    previous = (
        Document.objects.filter(case=case, template_key=template_key)
        .order_by("-version")
        .first()
    )
    document = Document(
        case=case,
        template_key=template_key,
        template_version=template.version,
        title=template.title,
        version=(previous.version + 1) if previous else 1,
        supersedes=previous,
        inputs=inputs,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        data_class=data_class,
        author=user,
    )
    document.save()
    CaseEvent.objects.create(
        case=case,
        actor=user,
        kind=CaseEvent.Kind.NOTE,
        note=f"{template.title} v{document.version} ({document.sha256[:12]})",
    )
    return document


def may_make(user, case: Case, template_key: str, *, data_class: str = "") -> bool:
    """The decision point's MAKE_LETTER for this letter on this case: a letter
    of the case's type, on the letter's data class, and letters to the party
    only for the roles that write them."""
    from .letters import DATA_CLASS_OF
    from .registry import registry

    letter = registry.letters.get(template_key)
    if letter is not None and letter.case_types:
        if case.case_type not in letter.case_types:
            return False
    template = pdf.TEMPLATES.get(template_key)
    if template is None:
        return False
    if letter is not None and letter.offered_when is not None:
        # The step the letter records must exist (its case type says which).
        if not letter.offered_when(registry.proxy_for(case)):
            return False
    return decide(
        user,
        MAKE_LETTER,
        "letter",
        case=case,
        data_class=data_class or DATA_CLASS_OF.get(template_key, DataClass.D2),
        addressed_to_party=bool(getattr(template, "addressed_to_the_party", False)),
        letter_roles=letter.roles if letter is not None else frozenset(),
    )


def letters_offered(user, case: Case) -> list:
    """The letter templates of the case's type this user may make on it."""
    from .registry import registry

    return [
        letter.template
        for letter in registry.letters_for(case.case_type)
        if may_make(user, case, letter.key, data_class=letter.data_class)
    ]


def document_kind(template_key: str) -> str:
    """The decision point's kind for a document: one whose content differs per
    partner (`registry.Letter.per_reader`) is read as "document_per_reader"."""
    from .registry import registry

    if template_key in registry.per_reader_letters():
        return "document_per_reader"
    return "document"


def readable_documents(user, case: Case) -> tuple[list[str], list[str], list[str]]:
    """The data classes of the case's documents the user reads, the template
    keys of per-reader documents, and the classes of those the user reads:
    the decision point's rules for "document" and "document_per_reader" as
    the parameters of a query (`documents_for_user`, the case page's SQL)."""
    from .registry import registry

    classes = read_classes_on_case(user, "document", case)
    keys = registry.per_reader_letters()
    per_reader = read_classes_on_case(user, "document_per_reader", case) if keys else []
    return classes, keys, per_reader


def documents_for_user(user, case: Case):
    """The case's documents the user may read (decision point: no documents
    for outcome-only roles; per-reader documents for the director only)."""
    classes, keys, per_reader = readable_documents(user, case)
    rows = Document.objects.filter(case=case, data_class__in=classes)
    if keys:
        rows = rows.filter(~Q(template_key__in=keys) | Q(data_class__in=per_reader))
    return (
        rows.defer("content")
        .select_related("author", "case")
        .order_by("template_key", "-version")
    )


def document_for_download(
    *, user, case: Case, pk: int, request=None
) -> Document | None:
    """The document if the user may read it (`decide(EXPORT)`); the read is
    logged for sensitive classes (every download is an export in the log's
    terms). A refusal — the document missing or withheld — is one denied row
    either way (`log_refusal`), so the answer tells nothing."""
    document = Document.objects.filter(case=case, pk=pk).first()
    allowed = document is not None and decide(
        user,
        EXPORT,
        document_kind(document.template_key),
        case=case,
        data_class=document.data_class,
    )
    if not allowed:
        log_refusal(
            user=user, action=AccessLog.Action.EXPORT, object_type="document",
            key=pk, obj=document, case=case, request=request,
        )  # fmt: skip
        return None
    if document.data_class in SENSITIVE_CLASSES:
        log_access(
            user=user, action=AccessLog.Action.EXPORT, object_type="document",
            object_id=document.pk, data_class=document.data_class, case=case,
            result=AccessLog.Result.OK, request=request,
        )  # fmt: skip
    return document
