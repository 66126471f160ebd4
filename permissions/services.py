"""Writes for access control: case teams, grants, and the access log.

The only module (with models.py) that imports django-guardian.
"""

import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.sql import InsertQuery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, remove_perm

from .models import (
    SENSITIVE_CLASSES,
    ZERO_HASH,
    AccessLog,
    AccessLogCheckpoint,
    AccessLogHead,
    AccessLogVerification,
    CaseAccess,
    Membership,
)
from .policy import READ, WRITE, actor_for, role_actions

TEAM_ROLE_NOT_ALLOWED = _(
    "%(user)s cannot join this case: the role may not read %(data_class)s data."
)
NO_MEMBERSHIP = _("%(user)s has no organisation and role yet.")

VIEW_CASE = "casework.view_case"
CHANGE_CASE = "casework.change_case"


@transaction.atomic
def team_add(*, case, user, team_role: str, actor=None) -> CaseAccess:
    """Put a user on a case team: the guardian grant and the list row together.

    Refuses a user whose role may not read the case's data class, so the team
    table never lists a case its member could not open.
    """
    try:
        membership = Membership.objects.get(user=user)
    except Membership.DoesNotExist as exc:
        raise ValidationError(NO_MEMBERSHIP % {"user": user.get_username()}) from exc
    if READ not in role_actions(membership.role, case.data_class):
        raise ValidationError(
            TEAM_ROLE_NOT_ALLOWED
            % {"user": user.get_username(), "data_class": case.data_class}
        )
    access, created = CaseAccess.objects.get_or_create(
        user=user,
        case=case,
        defaults={
            "organisation_id": membership.organisation_id,
            "team_role": team_role,
            "sort_key": case.opened_at,
            "case_type": case.case_type,
            "data_class": case.data_class,
        },
    )
    if not created and access.team_role != team_role:
        access.team_role = team_role
        access.save(update_fields=["team_role"])
    case.__dict__.pop("_casework_grants", None)
    assign_perm(VIEW_CASE, user, case)
    if team_role == CaseAccess.TeamRole.CONTRIBUTOR:
        remove_perm(CHANGE_CASE, user, case)
    else:
        assign_perm(CHANGE_CASE, user, case)
    return access


@transaction.atomic
def team_remove(*, case, user) -> None:
    CaseAccess.objects.filter(case=case, user=user).delete()
    remove_perm(VIEW_CASE, user, case)
    remove_perm(CHANGE_CASE, user, case)
    case.__dict__.pop("_casework_grants", None)


def membership_refusal(user, organisation) -> str | None:
    """Why `user` may not be a member of `organisation`, or None.

    An account keeps its organisation while it is on a case team: each team
    row names the organisation it was added for (`CaseAccess.organisation`:
    the service accounts' rule, the webhooks' recipients), and the decision
    point would read the old organisation's cases with the new
    organisation's role. Someone who moves to another organisation gets a
    new account (one organisation per account, so that every log row names
    one); the case owners take the old one off their teams first. The one
    check for every way a membership is changed: the beheerder's form
    (`Membership.clean`), `grant_role`, and `membership_set` (a single
    sign-on)."""
    if user.pk is None:
        return None
    others = CaseAccess.objects.filter(user=user).exclude(
        organisation_id=organisation.pk
    )
    count = others.count()
    if not count:
        return None
    names = sorted(
        others.values_list("organisation__name", flat=True).distinct().order_by()
    )
    return ngettext(
        "%(user)s is on the team of %(count)d case for %(organisations)s and "
        "keeps that organisation while on it. Someone who moves to another "
        "organisation gets a new account; the case owners first take this "
        "one off their teams.",
        "%(user)s is on the teams of %(count)d cases for %(organisations)s and "
        "keeps that organisation while on them. Someone who moves to another "
        "organisation gets a new account; the case owners first take this "
        "one off their teams.",
        count,
    ) % {
        "user": user.get_username(),
        "count": count,
        "organisations": ", ".join(names),
    }


@transaction.atomic
def membership_set(*, user, organisation, role: str) -> Membership:
    """Give `user` its one membership, or change it; refused while the user
    is on a case team for another organisation (`membership_refusal`)."""
    refusal = membership_refusal(user, organisation)
    if refusal is not None:
        raise ValidationError(refusal, code="organisation_with_teams")
    membership, _created = Membership.objects.update_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    return membership


def user_can(user, action: str, case) -> bool:
    """May this user do `action` (read/write) on this case? The decision point
    (`permissions.decision.decide`): role × data class, then the team
    (the guardian grant on the case itself). `read` is opening the case, which
    for outcome-only roles is its outcome page."""
    from .decision import READ_OUTCOME, decide

    return decide(user, READ_OUTCOME if action == READ else action, "case", case=case)


def _case_grants(user, case) -> set[str]:
    """The user's guardian grants on this case, read once per case instance
    (a page asks several times: view, transitions, write links). Team changes
    through `team_add`/`team_remove` clear the cache on the instance they get."""
    cache = case.__dict__.setdefault("_casework_grants", {})
    if user.pk not in cache:
        cache[user.pk] = set(ObjectPermissionChecker(user).get_perms(case))
    return cache[user.pk]


def prime_case_grants(user, case, team_role: str) -> None:
    """Answer `_case_grants` for this case instance from the user's team role,
    read with the case (`casework.selectors.case_for_page`), instead of two
    guardian queries (user and group grants).

    The same answer: `team_add` and `team_remove` are the only writers of case
    grants and write them with the team row, in one transaction — `view_case`
    for every team role, `change_case` for all but contributors — and nothing
    writes group grants on cases (decision 0001; tests/permissions check that
    the two stores agree). Guardian answers differently only for inactive
    users (nothing) and superusers (everything): those keep guardian's answer.
    """
    if not user.is_active or user.is_superuser or not team_role:
        return
    grants = {VIEW_CASE.split(".")[1]}
    if team_role != CaseAccess.TeamRole.CONTRIBUTOR:
        grants.add(CHANGE_CASE.split(".")[1])
    case.__dict__.setdefault("_casework_grants", {})[user.pk] = grants


def prime_team_grants(users, cases) -> None:
    """`prime_case_grants` for every pair of `users` and `cases` at once,
    from their team rows read in one query: a pair without a row gets no
    grants, as guardian would answer (`team_add` writes the grants with the
    row, `team_remove` deletes both). Inactive users and superusers keep
    guardian's answer (`prime_case_grants`)."""
    users = [u for u in users if u.is_active and not u.is_superuser]
    if not users or not cases:
        return
    rows = {
        (user_id, case_id): team_role
        for user_id, case_id, team_role in CaseAccess.objects.filter(
            user_id__in={u.pk for u in users}, case_id__in={c.pk for c in cases}
        ).values_list("user_id", "case_id", "team_role")
    }
    for case in cases:
        known = case.__dict__.setdefault("_casework_grants", {})
        for user in users:
            team_role = rows.get((user.pk, case.pk))
            if team_role:
                prime_case_grants(user, case, team_role)
            else:
                known[user.pk] = set()


def user_can_write(user, case) -> bool:
    return user_can(user, WRITE, case)


def client_ip(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")[:64]


def log_access(
    *,
    user,
    action: str,
    object_type: str,
    object_id,
    data_class: str,
    case=None,
    result: str = AccessLog.Result.OK,
    purpose_code: str = "",
    legal_basis_code: str = "",
    recipient: str = "",
    request=None,
) -> AccessLog:
    """Append one row to the access log, extending one shard of the chain.

    Take a free shard's head (its row stays locked until the transaction
    ends), then insert the row and move the head: on PostgreSQL in one
    statement (`_insert_and_move_head`, a data-modifying CTE), on SQLite in
    two. The row's hash needs the shard's last hash and the key, which only
    Python has, so taking the head stays a statement of its own. Every
    ACCESS_LOG_CHECKPOINT_EVERY rows of a shard a checkpoint is added.
    """
    row = {
        "action": action, "object_type": object_type, "object_id": object_id,
        "data_class": data_class, "case": case, "result": result,
        "purpose_code": purpose_code, "legal_basis_code": legal_basis_code,
        "recipient": recipient,
    }  # fmt: skip
    [entry] = log_access_many(user=user, rows=[row], request=request)
    return entry


def log_access_many(*, user, rows, request=None) -> list[AccessLog]:
    """Append several rows of one request (a page that reads several
    sensitive objects) in one transaction: one take of a shard's head for
    all of them and one INSERT of all of them that moves the head. Every row
    is written, in the order given, as consecutive rows of one shard, each
    hashed on the one before: the chain is the one that writing them one at
    a time would have made. `rows`: dicts of `log_access`'s keyword
    arguments other than `user` and `request`. Nothing to write, no
    statement."""
    rows = list(rows)
    if not rows:
        return []
    actor = actor_for(user)
    entries = [_entry(actor, request, **row) for row in rows]
    with transaction.atomic(savepoint=False):
        shard, seq, last_hash, ids = _take_head(len(entries))
        first = seq - len(entries) + 1
        for offset, (entry, new_id) in enumerate(zip(entries, ids, strict=True)):
            entry.id, entry.shard, entry.seq = new_id, shard, first + offset
            entry.hash_chain = last_hash = entry.content_digest(last_hash)
        _insert_and_move_head(entries)
        every = checkpoint_every()
        for entry in entries:
            if entry.seq % every == 0:
                write_checkpoint(
                    shard, entry.seq, entry.hash_chain, AccessLogCheckpoint.Reason.ROWS
                )
    return entries


def _entry(
    actor,
    request,
    *,
    action: str,
    object_type: str,
    object_id,
    data_class: str,
    case=None,
    result: str = AccessLog.Result.OK,
    purpose_code: str = "",
    legal_basis_code: str = "",
    recipient: str = "",
) -> AccessLog:
    return AccessLog(
        user_id=actor.user_id,
        username=actor.username,
        role=actor.role,
        organisation=actor.organisation_name,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        data_class=data_class,
        case_id=getattr(case, "pk", None),
        case_reference=getattr(case, "reference", ""),
        purpose_code=purpose_code,
        legal_basis_code=legal_basis_code,
        recipient=recipient,
        result=result,
        client_ip=client_ip(request),
    )


def _insert_and_move_head(entries: list[AccessLog]) -> None:
    """Insert `entries` (consecutive rows of one shard) and set the shard's
    head to the last one's hash, under the head's lock taken by `_take_head`.
    PostgreSQL: one statement, `WITH logged AS (INSERT …) UPDATE head …` (a
    data-modifying CTE runs whether or not the outer statement reads it; both
    happen or neither). SQLite has no INSERT in a CTE: one INSERT of the
    rows, then the UPDATE, in the caller's transaction."""
    move = f"UPDATE {_head_table()} SET last_hash = %s WHERE shard = %s"
    last = entries[-1]
    if connection.vendor != "postgresql":
        AccessLog.objects.bulk_create(entries)
        with connection.cursor() as cursor:
            cursor.execute(move, [last.hash_chain, last.shard])
        return
    query = InsertQuery(AccessLog)
    query.insert_values(AccessLog._meta.local_concrete_fields, entries)
    [(insert, params)] = query.get_compiler(connection=connection).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH logged AS ({insert}) {move}",
            [*params, last.hash_chain, last.shard],
        )
    # As Model.save() leaves them: stored rows, which save() then refuses.
    for entry in entries:
        entry._state.adding = False
        entry._state.db = connection.alias


def access_log_shards() -> int:
    """How many chains writers spread over (PostgreSQL; SQLite writes one at
    a time anyway and uses shard 0)."""
    if connection.vendor != "postgresql":
        return 1
    return max(1, int(getattr(settings, "ACCESS_LOG_SHARDS", 16)))


def checkpoint_every() -> int:
    return max(1, int(getattr(settings, "ACCESS_LOG_CHECKPOINT_EVERY", 1000)))


def _head_table() -> str:
    return connection.ops.quote_name(AccessLogHead._meta.db_table)


def _take_head(count: int = 1) -> tuple[int, int, str, list[int]]:
    """Lock a shard's head and advance it by `count` rows: (shard, seq of the
    last new row, last hash of the shard before them, ids of the new rows in
    ascending order). The ids are drawn here, under the lock, so that they
    are in the hash and ids grow with seq in a shard.

    PostgreSQL: the connection's own shard if free, else the next free one
    (SKIP LOCKED); only when every shard is busy does the writer wait. SQLite:
    shard 0 (the UPDATE takes the database's write lock)."""
    table = _head_table()
    log = connection.ops.quote_name(AccessLog._meta.db_table)
    n = access_log_shards()
    if connection.vendor == "postgresql":
        start = getattr(connection, "_access_log_shard", None)
        if start is None or start >= n:
            start = connection._access_log_shard = secrets.randbelow(n)
        returning = (
            f"RETURNING shard, seq, last_hash, ARRAY(SELECT nextval("
            f"pg_get_serial_sequence('{AccessLog._meta.db_table}', 'id')) "
            f"FROM generate_series(1, %s))"
        )
        free = (
            f"UPDATE {table} SET seq = seq + %s WHERE shard = ("
            f"SELECT shard FROM {table} WHERE shard < %s"
            f" ORDER BY (shard + %s - %s) %% %s LIMIT 1 FOR UPDATE SKIP LOCKED)"
            f" {returning}"
        )
        attempts = [(free, [count, n, n, start, n, count])]
        wait_params = [count, start, count]
    else:
        start = 0
        returning = f"RETURNING shard, seq, last_hash, (SELECT COALESCE(MAX(id), 0) + 1 FROM {log})"  # noqa: E501
        attempts = []
        wait_params = [count, start]
    wait = f"UPDATE {table} SET seq = seq + %s WHERE shard = %s {returning}"
    attempts.append((wait, wait_params))
    with connection.cursor() as cursor:
        for sql, params in attempts:
            cursor.execute(sql, params)
            row = cursor.fetchone()
            if row is not None:
                return _head_row(row, count)
        # The first writer ever (or after ACCESS_LOG_SHARDS grew): make the
        # missing heads, then wait for ours.
        AccessLogHead.objects.bulk_create(
            [AccessLogHead(shard=k) for k in range(n)], ignore_conflicts=True
        )
        cursor.execute(wait, wait_params)
        return _head_row(cursor.fetchone(), count)


def _head_row(row, count: int) -> tuple[int, int, str, list[int]]:
    shard, seq, last_hash, ids = row
    if isinstance(ids, int):  # SQLite: the first id, under its write lock
        ids = range(ids, ids + count)
    return shard, seq, last_hash, sorted(ids)


def write_checkpoint(shard: int, seq: int, last_hash: str, reason: str):
    """Record a shard's length and last hash outside the log table (and in
    the file ACCESS_LOG_CHECKPOINT_FILE, when set)."""
    checkpoint = AccessLogCheckpoint(
        shard=shard, seq=seq, last_hash=last_hash, reason=reason
    ).sign()
    checkpoint.save()
    path = getattr(settings, "ACCESS_LOG_CHECKPOINT_FILE", "")
    if path:
        line = json.dumps(
            {
                "created_at": checkpoint.created_at.isoformat(),
                "shard": shard,
                "seq": seq,
                "last_hash": last_hash,
                "reason": reason,
                "signature": checkpoint.signature,
            }
        )
        with open(path, "a") as handle:
            handle.write(line + "\n")
    return checkpoint


def log_sensitive_read(
    *, user, obj, data_class: str, case=None, request=None, result=AccessLog.Result.OK
):
    """Log a read when the data class is sensitive (D3-D7, D10); no-op otherwise."""
    if data_class not in SENSITIVE_CLASSES:
        return None
    return log_access(
        user=user,
        action=AccessLog.Action.READ,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        data_class=data_class,
        case=case,
        result=result,
        request=request,
    )


def log_sensitive_reads(*, user, reads, request=None) -> list[AccessLog]:
    """`log_sensitive_read` for the objects one page read, written together
    (`log_access_many`): `reads` holds (obj, data_class, case) triples; those
    whose class is not sensitive are skipped."""
    rows = [
        {
            "action": AccessLog.Action.READ,
            "object_type": obj._meta.model_name,
            "object_id": obj.pk,
            "data_class": data_class,
            "case": case,
        }
        for obj, data_class, case in reads
        if data_class in SENSITIVE_CLASSES
    ]
    return log_access_many(user=user, rows=rows, request=request)


@dataclass
class Problem:
    """One break in the log, in the words the FG reads."""

    shard: int
    seq: int | None
    row_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"rij {self.row_id}" if self.row_id is not None else "geen rij"
        return (
            f"shard {self.shard}, volgnummer {self.seq}, {where} / "
            f"row {self.row_id}: {self.message}"
        )


@dataclass
class VerifyReport:
    rows_checked: int = 0
    shards: int = 0
    checkpoints: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self):
        """The earliest break: the lowest row id among the shards' first
        breaks (a break with no row, such as rows cut from the end, last)."""
        if not self.problems:
            return None
        return min(
            self.problems,
            key=lambda p: (p.row_id is None, p.row_id or 0, p.shard, p.seq or 0),
        )

    def summary(self) -> str:
        if self.ok:
            return (
                f"Toegangslog intact: {self.rows_checked} rijen in {self.shards} "
                f"ketens, {self.checkpoints} controlepunten kloppen. / Access log "
                f"intact: {self.rows_checked} rows in {self.shards} chains, "
                f"{self.checkpoints} checkpoints match."
            )
        return (
            f"Toegangslog GEWIJZIGD: {len(self.problems)} breuk(en), eerste: "
            f"{self.first_problem}. / Access log TAMPERED WITH: "
            f"{len(self.problems)} break(s)."
        )


def _checkpoints(report: VerifyReport) -> dict[int, list]:
    """Checkpoints per shard, from the table and the file; a checkpoint whose
    signature does not match is itself a problem."""
    found = []
    for cp in AccessLogCheckpoint.objects.order_by("id").iterator():
        found.append(cp)
    path = getattr(settings, "ACCESS_LOG_CHECKPOINT_FILE", "")
    if path and os.path.exists(path):
        with open(path) as handle:
            for number, line in enumerate(handle, 1):
                try:
                    data = json.loads(line)
                    cp = AccessLogCheckpoint(
                        created_at=datetime.fromisoformat(data["created_at"]),
                        shard=data["shard"], seq=data["seq"],
                        last_hash=data["last_hash"], reason=data["reason"],
                        signature=data["signature"],
                    )  # fmt: skip
                except (ValueError, KeyError, TypeError):
                    message = f"checkpoint file line {number} is unreadable"
                    report.problems.append(Problem(-1, None, None, message))
                    continue
                found.append(cp)
    by_shard: dict[int, list] = {}
    for cp in found:
        if not hmac.compare_digest(cp.signature, cp.expected_signature()):
            report.problems.append(
                Problem(cp.shard, cp.seq, None, "checkpoint signature does not match")
            )
            continue
        by_shard.setdefault(cp.shard, []).append(cp)
    report.checkpoints = sum(len(v) for v in by_shard.values())
    return by_shard


def _verify_snapshot(report: VerifyReport) -> dict[int, tuple[int, str]]:
    heads = {h.shard: (h.seq, h.last_hash) for h in AccessLogHead.objects.all()}
    checkpoints = _checkpoints(report)
    # Checkpoints by (shard, seq) → the hashes that row must have.
    expected = {}
    for shard, cps in checkpoints.items():
        for cp in cps:
            expected.setdefault((shard, cp.seq), set()).add(cp.last_hash)
    ends: dict[int, tuple[int, str, int | None]] = {}
    broken: set[int] = set()
    shard, seq, previous, last_id = None, 0, ZERO_HASH, 0
    rows = AccessLog.objects.order_by("shard", "seq")
    for row in rows.iterator(chunk_size=5000):
        report.rows_checked += 1
        if row.shard != shard:
            if shard is not None:
                ends[shard] = (seq, previous, last_id)
            shard, seq, previous, last_id = row.shard, 0, ZERO_HASH, 0
        if shard in broken:
            continue
        problem = None
        if row.seq != seq + 1:
            problem = (
                f"rows {seq + 1}..{row.seq - 1} of the chain are missing before it"
                if row.seq > seq + 1
                else "out of sequence"
            )
        elif row.pk <= last_id:
            problem = f"out of order: id {row.pk} after id {last_id}"
        elif not hmac.compare_digest(row.content_digest(previous), row.hash_chain):
            problem = "changed: its hash does not match its content and chain"
        elif (shard, row.seq) in expected and expected[(shard, row.seq)] != {
            row.hash_chain
        }:
            problem = "does not match the checkpoint taken at this row"
        if problem:
            report.problems.append(Problem(shard, row.seq, row.pk, problem))
            broken.add(shard)
            continue
        seq, previous, last_id = row.seq, row.hash_chain, row.pk
    if shard is not None:
        ends[shard] = (seq, previous, last_id)
    shards = set(heads) | set(ends) | set(checkpoints)
    report.shards = len(set(ends) | {s for s, h in heads.items() if h[0]})
    for s in sorted(shards - broken):
        seq, last_hash, last_id = ends.get(s, (0, ZERO_HASH, None))
        head = heads.get(s)
        if head is None and seq:
            report.problems.append(
                Problem(s, seq, last_id, "the shard's head row is missing")
            )
        elif head is not None and head != (seq, last_hash):
            report.problems.append(
                Problem(
                    s,
                    head[0],
                    None,
                    f"the head says {head[0]} rows, the log ends at row {seq}"
                    " (rows cut from the end, or the head moved)",
                )  # fmt: skip
            )
        top = max((cp.seq for cp in checkpoints.get(s, [])), default=0)
        if top > seq:
            report.problems.append(
                Problem(
                    s,
                    seq + 1,
                    None,
                    f"rows {seq + 1}..{top} are gone: a checkpoint recorded "
                    f"{top} rows (log cut or truncated)",
                )  # fmt: skip
            )
    return {s: heads[s] for s in heads if s not in broken}


def verify_access_log(*, record: bool = True, checkpoint: bool = True) -> VerifyReport:
    """Check every shard of the chain against its head and the checkpoints.

    Reads one snapshot (REPEATABLE READ on PostgreSQL, when not called inside
    a transaction already), so writers go on meanwhile. With `record`, the
    outcome is stored for the FG's /audit/ page; with `checkpoint`, an intact
    log gets a checkpoint per shard."""
    report = VerifyReport()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
        heads = _verify_snapshot(report)
    if checkpoint:
        # Heads for every shard (ACCESS_LOG_SHARDS may have grown; a log with
        # only some heads would spread its writers over those alone).
        AccessLogHead.objects.bulk_create(
            [AccessLogHead(shard=k) for k in range(access_log_shards())],
            ignore_conflicts=True,
        )
    if checkpoint and report.ok:
        for shard, (seq, last_hash) in sorted(heads.items()):
            if seq:
                write_checkpoint(
                    shard, seq, last_hash, AccessLogCheckpoint.Reason.VERIFY
                )
    if record:
        first = report.first_problem
        AccessLogVerification.objects.create(
            ok=report.ok,
            rows_checked=report.rows_checked,
            shards=report.shards,
            problems=len(report.problems),
            first_problem=str(first) if first else "",
        )
    return report


def verify_chain() -> bool:
    """True if the access log is intact (no row changed, removed, reordered
    or cut); see `verify_access_log` for the details."""
    return verify_access_log(record=False, checkpoint=False).ok
