"""What the three imports of the hotspots share (docs/hotspots.md
"Imports"): an upload is read whole or refused (`FileError`, nothing kept),
kept as a `RegisterUpload` of its owner for the preview, read and checked
again on confirmation, and stored in one transaction only when no row or
feature has an error. The reading of a file as text, the CSV separator and
the Dutch file-level messages are the signal import's
(`casework.signal_import`, docs/import.md).

Each kind is an `Importer`: `read(text)` gives a `Parsed` whose items carry
their errors by column; `store(parsed, upload, user)` writes them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from casework.signal_import import (
    DOUBLE_COLUMNS,
    EMPTY_COLUMN,
    MISSING_COLUMNS,
    NOT_PREVIEWED,
    TOO_BIG,
    UNKNOWN_COLUMNS,
    FileError,
    content_hash,
    decode,
    read_records,
)

from .models import RegisterUpload

DUPLICATE_ROW = _("This row also appears on line %(line)s of the file.")
ALREADY_IMPORTED = _("This row has already been imported.")
IMPORTED_MEANWHILE = _(
    "Nothing has been imported: a row was imported meanwhile (%(error)s). "
    "Upload the file again."
)


@dataclass
class Item:
    """A row of a CSV file or a feature of a GeoJSON file: where it is
    (`line`), its values as read by column, its cleaned values and its
    errors by column ("" for the item as a whole)."""

    line: int
    values: dict[str, str]
    cleaned: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add_error(self, column: str, message) -> None:
        self.errors.setdefault(column, []).append(str(message))

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Parsed:
    columns: list[str]
    items: list[Item]

    @property
    def error_items(self) -> int:
        return sum(1 for item in self.items if not item.ok)

    @property
    def ok(self) -> bool:
        return bool(self.items) and not self.error_items


def read_csv(text: str, *, known: tuple, required: tuple, refused: dict) -> Parsed:
    """The header and rows of a CSV text, or a FileError: a header column
    not `known` refuses the file (with the message of `refused` for the
    columns the import must never receive, such as a buyer's name)."""
    columns, _delimiter, items = read_records(
        text,
        header=lambda record: _header(record, known, required, refused),
        row=Item,
    )
    return Parsed(columns, items)


def _header(record, known, required, refused) -> list[str]:
    columns = [cell.strip().lstrip("\ufeff").lower() for cell in record]
    for number, column in enumerate(columns, start=1):
        if not column:
            raise FileError(EMPTY_COLUMN % {"number": number})
    double = sorted({c for c in columns if columns.count(c) > 1})
    if double:
        raise FileError(DOUBLE_COLUMNS % {"columns": ", ".join(double)})
    for column in columns:
        if column in refused:
            raise FileError(refused[column])
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise FileError(UNKNOWN_COLUMNS % {"columns": ", ".join(unknown)})
    missing = [c for c in required if c not in columns]
    if missing:
        raise FileError(MISSING_COLUMNS % {"columns": ", ".join(missing)})
    return columns


def mark_duplicates(parsed: Parsed, key, column: str) -> None:
    """A second row with the same key (`key(item)`, None to skip) is an
    error at `column`, naming the first row's line."""
    seen: dict = {}
    for item in parsed.items:
        value = key(item)
        if value is None:
            continue
        if value in seen:
            item.add_error(column, DUPLICATE_ROW % {"line": seen[value]})
        else:
            seen[value] = item.line


# --- Keeping an upload between preview and confirmation -----------------------


def upload(*, user, kind: str, uploaded_file, importer) -> RegisterUpload:
    """Read and keep an uploaded file; a FileError when it cannot be read
    whole, and then nothing is stored."""
    limit = settings.CASEWORK_IMPORT_MAX_BYTES
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise FileError(TOO_BIG % {"limit": limit})
    raw = uploaded_file.read(limit + 1)
    if len(raw) > limit:
        raise FileError(TOO_BIG % {"limit": limit})
    text = decode(raw)
    importer.read(text)
    purge_expired()
    return RegisterUpload.objects.create(
        owner=user,
        kind=kind,
        file_name=(getattr(uploaded_file, "name", "") or "")[:200],
        text=text,
        content_hash=content_hash(text),
    )


def purge_expired() -> int:
    cutoff = timezone.now() - timedelta(hours=settings.CASEWORK_IMPORT_KEEP_HOURS)
    deleted, _rows = RegisterUpload.objects.filter(
        status=RegisterUpload.Status.PREVIEW, uploaded_at__lt=cutoff
    ).delete()
    return deleted


def upload_for(user, upload_id, kinds) -> RegisterUpload:
    """The user's own upload of one of `kinds`, or 404."""
    try:
        key = uuid.UUID(str(upload_id))
    except ValueError as exc:
        raise Http404 from exc
    cutoff = timezone.now() - timedelta(hours=settings.CASEWORK_IMPORT_KEEP_HOURS)
    found = (
        RegisterUpload.objects.filter(pk=key, owner=user, kind__in=kinds)
        .exclude(status=RegisterUpload.Status.PREVIEW, uploaded_at__lt=cutoff)
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass
class Outcome:
    upload: RegisterUpload
    parsed: Parsed | None
    stored: int = 0


def confirm(*, user, upload_id, previewed_hash: str, kinds, importers) -> Outcome:
    """Store the previewed file, every item or none: locked, the user's own,
    unconfirmed, the text previewed; read and checked again against the
    database as it is now. A refusal by the database (a unique constraint
    hit by a concurrent import) rolls everything back (ValidationError)."""
    with transaction.atomic():
        kept = upload_for(user, upload_id, kinds)
        kept = RegisterUpload.objects.select_for_update().get(pk=kept.pk)
        if kept.status != RegisterUpload.Status.PREVIEW:
            return Outcome(kept, None)
        if not constant_time_compare(
            previewed_hash or "", kept.content_hash
        ) or not constant_time_compare(content_hash(kept.text), kept.content_hash):
            raise ValidationError(NOT_PREVIEWED)
        importer = importers[kept.kind]
        parsed = importer.check(importer.read(kept.text))
        if not parsed.ok:
            return Outcome(kept, parsed)
        try:
            with transaction.atomic():
                stored = importer.store(parsed, upload=kept, user=user)
        except DatabaseError as exc:
            reason = " ".join(str(exc).split())[:200]
            raise ValidationError(IMPORTED_MEANWHILE % {"error": reason}) from exc
        kept.status = RegisterUpload.Status.IMPORTED
        kept.text = ""
        kept.imported_count = stored
        kept.save(update_fields=["status", "text", "imported_count"])
    return Outcome(kept, parsed, stored)
