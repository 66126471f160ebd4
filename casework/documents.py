"""Generated letters: validated, rendered once, stored immutably.

Rendering is `casework.pdf` (a pure function); this module adds the case, the
access check, versioning and the SHA-256. A correction is a new version.
"""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from permissions.models import SENSITIVE_CLASSES, AccessLog, DataClass
from permissions.policy import READ, WRITE, actor_for, role_permits
from permissions.services import log_access, user_can

from . import pdf
from .models import Case, CaseEvent, Document

NOT_ALLOWED = _("You may not make letters in this case.")


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
    *, case: Case, user, template_key: str, inputs: dict, data_class: str = DataClass.D2
) -> Document:
    """Render the letter and store it as the next version for this case.

    Raises `pdf.LetterValidationError` (with the missing fields and the legal
    reason) before anything is stored when required inputs are missing.
    """
    actor = actor_for(user)
    if not (
        user_can(user, WRITE, case) and role_permits(actor.role, WRITE, data_class)
    ):
        raise PermissionDenied(NOT_ALLOWED)
    template = pdf.get_template(template_key)
    # JSON round trip: what is stored is exactly what was rendered.
    inputs = json.loads(json.dumps(inputs, default=str))
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


def documents_for_user(user, case: Case):
    """The case's documents whose data class the user's role may read."""
    role = actor_for(user).role
    readable = [cls for cls in DataClass.values if role_permits(role, READ, cls)]
    return (
        Document.objects.filter(case=case, data_class__in=readable)
        .defer("content")
        .select_related("author", "case")
        .order_by("template_key", "-version")
    )


def document_for_download(
    *, user, case: Case, pk: int, request=None
) -> Document | None:
    """The document if the user may read it; the read is logged for sensitive
    classes (and every download is an export in the log's terms)."""
    document = Document.objects.filter(case=case, pk=pk).first()
    if document is None:
        return None
    allowed = role_permits(actor_for(user).role, READ, document.data_class)
    if document.data_class in SENSITIVE_CLASSES:
        log_access(
            user=user, action=AccessLog.Action.EXPORT, object_type="document",
            object_id=document.pk, data_class=document.data_class, case=case,
            result=AccessLog.Result.OK if allowed else AccessLog.Result.DENIED,
            request=request,
        )  # fmt: skip
    return document if allowed else None
