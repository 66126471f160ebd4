"""The import of a partner's signals from a CSV file (issue 17 item 6,
docs/import.md).

An upload is decoded and parsed (`parse`): what makes the whole file unusable
— its encoding, no rows, a missing or unknown column, too many rows, too many
bytes — is a `FileError` and nothing is stored. A parsed file is kept as a
`SignalImport` row of its owner (its text and SHA-256) and shown as a preview
(`validate`): every row with its values read and its errors per column, by
its line number in the file. Nothing else is written until the owner confirms
(`confirm`): the file is read and validated again, and when no row has an
error every row is registered through `services.signal_register` — the same
rules, numbering and checks as a signal typed in — in one transaction. A row
the database refuses stops the import: the transaction rolls back and the
error names the row (`ImportFailed`).

Who may import which source is the decision point's `supplies_signals`
(`permissions.decision`); the class of each row is asked the same way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from permissions.decision import supplies_signals
from permissions.models import DataClass, Organisation
from permissions.policy import actor_for

from . import services
from .forms import DateField, PartyFields, clean_not_future, text_area
from .models import ImportedSignal, Signal, SignalImport

# --- What may be imported ----------------------------------------------------


@dataclass(frozen=True)
class ImportKind:
    """A kind of file: the source its signals get and, per kind of supplying
    organisation, the legal basis under which the gemeente receives them when
    a row names none. Who supplies it is the decision point's."""

    source: str
    label: str
    legal_basis: dict

    def basis_for(self, organisation_kind: str) -> str:
        return self.legal_basis.get(organisation_kind, "")


KINDS: dict[str, ImportKind] = {
    kind.source: kind
    for kind in (
        ImportKind(
            Signal.Source.MMA,
            _("MMA reports (Meld Misdaad Anoniem)"),
            {Organisation.Kind.POLITIE: "Wpg 19"},
        ),
        ImportKind(
            Signal.Source.BESTUURLIJKE_RAPPORTAGE,
            _("Administrative reports (police, OM)"),
            {
                Organisation.Kind.POLITIE: "Wpg 16 lid 1 b",
                Organisation.Kind.OM: "Wjsg 39f",
            },
        ),
    )
}


def import_kinds(user) -> list[ImportKind]:
    """The kinds of file the user may import: those whose source its
    organisation supplies and whose signals its role registers (the decision
    point's `supplies_signals`)."""
    return [kind for kind in KINDS.values() if supplies_signals(user, kind.source)]


def may_import(user) -> bool:
    return bool(import_kinds(user))


# --- The columns ---------------------------------------------------------------

# CSV column → the row form's field. The header names them (any case, in any
# order); the first four are required in the header.
COLUMNS: dict[str, str] = {
    "kenmerk": "external_reference",
    "ontvangen_op": "received_on",
    "samenvatting": "summary",
    "dataklasse": "data_class",
    "grondslag": "legal_basis",
    "straat": "street",
    "huisnummer": "house_number",
    "toevoeging": "addition",
    "postcode": "postcode",
    "plaats": "city",
    "persoon_naam": "person_name",
    "persoon_geboortedatum": "person_date_of_birth",
    "persoon_bsn": "person_bsn",
    "bedrijf_naam": "company_name",
    "bedrijf_kvk": "company_kvk",
}
REQUIRED_COLUMNS = ("kenmerk", "ontvangen_op", "samenvatting", "dataklasse")
FIELD_COLUMNS = {field_name: column for column, field_name in COLUMNS.items()}
# Dates as the Dutch write them or as ISO, whatever the user's language.
DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]
# Rows whose earlier imports are looked up in one query.
LOOKUP_CHUNK = 500

EMPTY_FILE = _("The file is empty.")
TOO_BIG = _("The file is larger than %(limit)s bytes.")
NOT_UTF8 = _(
    "The file is not UTF-8 text (line %(line)s). Save it as CSV UTF-8 and "
    "upload it again."
)
NUL_BYTE = _(
    "The file contains a NUL character (line %(line)s): it is not a text file."
)
BAD_CSV = _("The file is not valid CSV at line %(line)s: %(error)s")
NO_ROWS = _("The file has a header but no rows.")
TOO_MANY_ROWS = _(
    "The file has %(found)s rows; at most %(limit)s may be imported at once."
)
MISSING_COLUMNS = _("Required columns are missing: %(columns)s.")
UNKNOWN_COLUMNS = _("Unknown columns: %(columns)s. The columns are listed in the help.")
DOUBLE_COLUMNS = _("A column appears twice in the header: %(columns)s.")
EMPTY_COLUMN = _("A column in the header has no name (column %(number)s).")
TOO_MANY_FIELDS = _("This row has %(found)s fields; the header has %(expected)s.")
BAD_DATE = _("Give the date as dd-mm-yyyy or yyyy-mm-dd.")
UNKNOWN_CLASS = _("Unknown data class %(value)s: use D0 to D10.")
CLASS_NOT_YOURS = _(
    "Your organisation and role may not supply signals of data class %(value)s."
)
DUPLICATE_IN_FILE = _("This reference also appears on line %(line)s of the file.")
ALREADY_IMPORTED = _("This reference has already been imported (signal %(reference)s).")
IMPORTED_MEANWHILE = _("This reference has been imported meanwhile.")
DATABASE_REFUSED = _("The database refused this row: %(error)s")
NOT_PREVIEWED = _(
    "The file is not the one previewed. Nothing has been imported; upload it again."
)
NOT_ALLOWED = _("You may not import signals of this kind.")


class FileError(Exception):
    """The whole file cannot be read: nothing is stored."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class ImportFailed(Exception):
    """A row failed while the signals were registered: nothing is imported."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


# --- One row -------------------------------------------------------------------


class RowForm(PartyFields):
    """A row of the file: the signal form's fields and cleaning (BSN elfproef,
    KvK, postcode, a complete address, no date in the future)."""

    external_reference = forms.CharField(max_length=50)
    received_on = DateField(
        input_formats=DATE_FORMATS, error_messages={"invalid": BAD_DATE}
    )
    summary = text_area()
    data_class = forms.ChoiceField(
        choices=DataClass.choices, error_messages={"invalid_choice": UNKNOWN_CLASS}
    )
    legal_basis = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dob = self.fields["person_date_of_birth"]
        dob.input_formats = DATE_FORMATS
        dob.error_messages["invalid"] = BAD_DATE

    def clean_received_on(self):
        return clean_not_future(self.cleaned_data.get("received_on"))


@dataclass
class Row:
    """A data row: its line in the file, its values by column, and after
    `validate` its errors by column ("" for the row as a whole)."""

    line: int
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    form: RowForm | None = None

    def add_error(self, column: str, message) -> None:
        self.errors.setdefault(column, []).append(str(message))

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def reference(self) -> str:
        return self.values.get("kenmerk", "")

    def shown(self, column: str) -> str:
        """The value as read: cleaned where the form cleaned it (a date as
        dd-mm-jjjj, a postcode as 1234 AB), else as written."""
        name = COLUMNS[column]
        cleaned = self.form.cleaned_data if self.form is not None else {}
        if name in cleaned and column not in self.errors:
            value = cleaned[name]
            if hasattr(value, "strftime"):
                return value.strftime("%d-%m-%Y")
            return "" if value is None else str(value)
        return self.values.get(column, "")


@dataclass
class Parsed:
    columns: list[str]
    delimiter: str
    rows: list[Row]

    @property
    def error_rows(self) -> int:
        return sum(1 for row in self.rows if not row.ok)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_rows


# --- Reading a file ----------------------------------------------------------------


def decode(raw: bytes) -> str:
    """UTF-8 text, with or without a byte order mark."""
    if not raw.strip():
        raise FileError(EMPTY_FILE)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileError(NOT_UTF8 % {"line": line}) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FileError(NUL_BYTE % {"line": line})
    return text


def delimiter_of(header: str) -> str:
    """`;` (Excel in Dutch) or `,`: whichever the header line has more of."""
    return ";" if header.count(";") > header.count(",") else ","


def parse(text: str) -> Parsed:
    """The header and rows of the file's text, or a FileError."""
    columns, delimiter, rows = read_records(text, header=_header, row=Row)
    return Parsed(columns, delimiter, rows)


def read_records(text: str, *, header, row) -> tuple[list[str], str, list]:
    """The columns, delimiter and data rows of a CSV text, or a FileError:
    `header(record)` reads (and may refuse) the header line, `row(line,
    values)` makes a data row with `add_error`. Blank lines are skipped, the
    number of rows is bounded (`CASEWORK_IMPORT_MAX_ROWS`), a row with more
    fields than the header is marked. The other imports read their files
    with it too (hotspots.imports)."""
    if not text.strip():
        raise FileError(EMPTY_FILE)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = delimiter_of(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    limit = settings.CASEWORK_IMPORT_MAX_ROWS
    rows: list = []
    columns: list[str] = []
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue  # a blank line
            if not columns:
                columns = header(record)
                continue
            if len(rows) == limit:
                found = limit + 1 + sum(1 for r in reader if any(c.strip() for c in r))
                raise FileError(TOO_MANY_ROWS % {"found": found, "limit": limit})
            cells = zip(columns, record, strict=False)
            made = row(start, {c: v.strip() for c, v in cells})
            if len(record) > len(columns):
                made.add_error(
                    "",
                    TOO_MANY_FIELDS % {"found": len(record), "expected": len(columns)},
                )
            rows.append(made)
    except csv.Error as exc:
        raise FileError(BAD_CSV % {"line": reader.line_num, "error": exc}) from exc
    if not columns:
        raise FileError(EMPTY_FILE)
    if not rows:
        raise FileError(NO_ROWS)
    return columns, delimiter, rows


def _header(record: list[str]) -> list[str]:
    columns = [cell.strip().lstrip("\ufeff").lower() for cell in record]
    for number, column in enumerate(columns, start=1):
        if not column:
            raise FileError(EMPTY_COLUMN % {"number": number})
    double = sorted({c for c in columns if columns.count(c) > 1})
    if double:
        raise FileError(DOUBLE_COLUMNS % {"columns": ", ".join(double)})
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise FileError(UNKNOWN_COLUMNS % {"columns": ", ".join(unknown)})
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise FileError(MISSING_COLUMNS % {"columns": ", ".join(missing)})
    return columns


# --- Checking the rows ---------------------------------------------------------------


def validate(parsed: Parsed, *, user, source: str) -> Parsed:
    """Every row's errors by column: the row form's cleaning, the class the
    user may supply, a reference twice in the file or imported before (by
    the user's organisation, for this source). Reads only."""
    seen: dict[str, int] = {}
    for row in parsed.rows:
        data = {name: row.values.get(column, "") for column, name in COLUMNS.items()}
        data["data_class"] = data["data_class"].upper()
        data["postcode"] = data["postcode"].upper()
        row.form = RowForm(data)
        row.form.is_valid()
        for name, errors in row.form.errors.items():
            column = FIELD_COLUMNS.get(name, "")
            for error in errors:
                row.add_error(column, error)
        data_class = row.form.cleaned_data.get("data_class")
        if data_class and not supplies_signals(user, source, data_class):
            row.add_error("dataklasse", CLASS_NOT_YOURS % {"value": data_class})
        reference = row.reference
        if reference in seen:
            row.add_error("kenmerk", DUPLICATE_IN_FILE % {"line": seen[reference]})
        elif reference:
            seen[reference] = row.line
    earlier = _earlier_imports(user, source, list(seen))
    for row in parsed.rows:
        if row.reference in earlier and seen.get(row.reference) == row.line:
            row.add_error(
                "kenmerk", ALREADY_IMPORTED % {"reference": earlier[row.reference]}
            )
    return parsed


def _earlier_imports(user, source: str, references: list[str]) -> dict[str, str]:
    """Reference → signal reference of the organisation's earlier imports."""
    organisation_id = actor_for(user).organisation_id
    found = {}
    for start in range(0, len(references), LOOKUP_CHUNK):
        chunk = references[start : start + LOOKUP_CHUNK]
        found.update(
            ImportedSignal.objects.filter(
                source_organisation_id=organisation_id,
                source=source,
                external_reference__in=chunk,
            ).values_list("external_reference", "signal__reference")
        )
    return found


# --- Keeping an upload between preview and confirmation ----------------------------


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def purge_expired() -> int:
    """Delete the unconfirmed uploads older than CASEWORK_IMPORT_KEEP_HOURS:
    their text holds the partner's data and was never imported."""
    cutoff = timezone.now() - timedelta(hours=settings.CASEWORK_IMPORT_KEEP_HOURS)
    stale = SignalImport.objects.filter(
        status=SignalImport.Status.PREVIEW, uploaded_at__lt=cutoff
    )
    deleted, _rows = stale.delete()
    return deleted


@transaction.atomic
def upload(*, user, source: str, uploaded_file, shared_with=()) -> SignalImport:
    """Read and keep an uploaded file for its preview; a FileError when it
    cannot be read, and then nothing is stored."""
    if source not in {kind.source for kind in import_kinds(user)}:
        raise PermissionDenied(NOT_ALLOWED)
    limit = settings.CASEWORK_IMPORT_MAX_BYTES
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise FileError(TOO_BIG % {"limit": limit})
    raw = uploaded_file.read(limit + 1)
    if len(raw) > limit:
        raise FileError(TOO_BIG % {"limit": limit})
    text = decode(raw)
    parsed = parse(text)
    purge_expired()
    kept = SignalImport.objects.create(
        id=uuid.uuid4(),
        owner=user,
        organisation_id=actor_for(user).organisation_id,
        source=source,
        file_name=(getattr(uploaded_file, "name", "") or "")[:255],
        content=text,
        content_hash=content_hash(text),
        row_count=len(parsed.rows),
    )
    kept.shared_with.set(shared_with)
    return kept


def upload_for(user, upload_id) -> SignalImport:
    """The user's own upload (an unconfirmed one while it is kept), or 404:
    nobody else reads or confirms it."""
    try:
        key = uuid.UUID(str(upload_id))
    except ValueError as exc:
        raise Http404 from exc
    cutoff = timezone.now() - timedelta(hours=settings.CASEWORK_IMPORT_KEEP_HOURS)
    found = (
        SignalImport.objects.filter(pk=key, owner=user)
        .exclude(status=SignalImport.Status.PREVIEW, uploaded_at__lt=cutoff)
        .first()
    )
    if found is None:
        raise Http404
    return found


def preview(kept: SignalImport, *, user) -> Parsed:
    """The kept file, read and checked again (nothing is written)."""
    return validate(parse(kept.content), user=user, source=kept.source)


# --- The import ----------------------------------------------------------------

# Registering one row took up to 40 ms on a busy 2-core machine (SQLite, about
# 22 queries a row through `services.signal_register`; docs/import.md): the
# page tells how long a file may take while it is imported.
SECONDS_PER_ROW = 0.04


def estimate_seconds(rows: int) -> int:
    return max(1, math.ceil(rows * SECONDS_PER_ROW))


@dataclass
class Outcome:
    upload: SignalImport
    parsed: Parsed | None
    imported: list[Signal]

    @property
    def done(self) -> bool:
        return bool(self.imported)


def confirm(*, user, upload_id, previewed_hash: str) -> Outcome:
    """Import the previewed file, all rows or none.

    The upload is locked, must be the user's own (else 404), unconfirmed, and
    the text previewed (`previewed_hash`, the SHA-256 the preview showed);
    it is read and checked again, and only when no row has an error are the
    rows registered, in file order, in one transaction. A row refused while
    it is registered raises ImportFailed naming its line, after the
    transaction has been rolled back."""
    with transaction.atomic():
        kept = upload_for(user, upload_id)
        kept = SignalImport.objects.select_for_update().get(pk=kept.pk)
        if kept.status != SignalImport.Status.PREVIEW:
            return Outcome(kept, None, [])
        if not constant_time_compare(
            previewed_hash or "", kept.content_hash
        ) or not constant_time_compare(content_hash(kept.content), kept.content_hash):
            raise ValidationError(NOT_PREVIEWED)
        if not supplies_signals(user, kept.source):
            raise PermissionDenied(NOT_ALLOWED)
        parsed = preview(kept, user=user)
        if not parsed.ok:
            return Outcome(kept, parsed, [])
        kind = KINDS[kept.source]
        shared_with = list(kept.shared_with.all())
        imported = [
            _register(row, kept=kept, user=user, kind=kind, shared_with=shared_with)
            for row in parsed.rows
        ]
        kept.status = SignalImport.Status.IMPORTED
        kept.imported_at = timezone.now()
        kept.content = ""  # the signals hold the data now
        kept.save(update_fields=["status", "imported_at", "content"])
    return Outcome(kept, parsed, imported)


def _register(row: Row, *, kept, user, kind: ImportKind, shared_with) -> Signal:
    data = row.form.cleaned_data
    try:
        with transaction.atomic():
            signal = services.signal_register(
                user=user,
                source=kind.source,
                received_on=data["received_on"],
                summary=data["summary"],
                data_class=data["data_class"],
                legal_basis=data["legal_basis"]
                or kind.basis_for(actor_for(user).organisation_kind),
                shared_with=shared_with,
                parties=row.form.parties(),
                locations=row.form.locations(),
            )
            ImportedSignal.objects.create(
                signal_import=kept,
                signal=signal,
                source_organisation_id=signal.source_organisation_id,
                source=kind.source,
                external_reference=data["external_reference"],
                line=row.line,
            )
    except IntegrityError as exc:
        if "imported_signal_once" in str(exc) or (
            ImportedSignal.objects.filter(
                source_organisation_id=kept.organisation_id,
                source=kind.source,
                external_reference=data["external_reference"],
            ).exists()
        ):
            raise ImportFailed(row.line, str(IMPORTED_MEANWHILE)) from exc
        raise ImportFailed(row.line, _refusal(exc)) from exc
    except DatabaseError as exc:
        raise ImportFailed(row.line, _refusal(exc)) from exc
    except (ValidationError, PermissionDenied) as exc:
        message = "; ".join(getattr(exc, "messages", None) or [str(exc)])
        raise ImportFailed(row.line, message) from exc
    return signal


def _refusal(exc: Exception) -> str:
    """The database's reason, on one line and short."""
    reason = " ".join(str(exc).split())[:200]
    return str(DATABASE_REFUSED % {"error": reason})
