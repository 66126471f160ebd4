"""Keep the board's ranks right (ranks.py): when a signal is saved or deleted,
or its addresses or shares change, the addresses concerned are counted again
after the transaction commits, once per transaction however many signals it
wrote (an import of a file). Connected in `apps.ControleConfig.ready`.

Writes that bypass the model signals (a queryset `update()`, raw SQL, the
benchmark generator's COPY) are counted by the next full rebuild
(`manage.py refresh_board`, nightly)."""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from casework.models import Location, Signal

_local = threading.local()
LINKS = Signal.locations.through
SHARES = Signal.shared_with.through


def schedule(location_ids) -> None:
    """Count these addresses again after the current transaction commits
    (now, outside one). The addresses of one transaction are counted
    together; a rolled-back transaction's are counted with the next."""
    ids = {pk for pk in location_ids if pk is not None}
    if not ids:
        return
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = set()
    pending |= ids
    transaction.on_commit(_flush, robust=True)


def _flush() -> None:
    from .ranks import refresh_locations

    ids, _local.pending = getattr(_local, "pending", None), None
    if ids:
        refresh_locations(ids)


def _locations_of(signal_ids) -> list[int]:
    return list(
        LINKS.objects.filter(signal_id__in=list(signal_ids)).values_list(
            "location_id", flat=True
        )
    )


def signal_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or created:
        return  # a new signal has no addresses yet (they are linked next)
    schedule(_locations_of([instance.pk]))


def signal_deleting(sender, instance, **kwargs) -> None:
    instance._board_locations = _locations_of([instance.pk])


def signal_deleted(sender, instance, **kwargs) -> None:
    schedule(getattr(instance, "_board_locations", ()))


def locations_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """`signal.locations` (or `location.signals`) added, removed or cleared."""
    if action == "pre_clear":
        instance._board_locations = (
            [instance.pk] if reverse else _locations_of([instance.pk])
        )
    elif action == "post_clear":
        schedule(getattr(instance, "_board_locations", ()))
    elif action in ("post_add", "post_remove"):
        schedule([instance.pk] if reverse else pk_set or ())


def shares_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """`signal.shared_with` (or `organisation.signals_received`) changed:
    the addresses of the signals concerned."""
    if action == "pre_clear":
        if reverse:
            signal_ids = SHARES.objects.filter(organisation_id=instance.pk)
            signal_ids = list(signal_ids.values_list("signal_id", flat=True))
        else:
            signal_ids = [instance.pk]
        instance._board_locations = _locations_of(signal_ids)
    elif action == "post_clear":
        schedule(getattr(instance, "_board_locations", ()))
    elif action in ("post_add", "post_remove") and pk_set:
        schedule(_locations_of(pk_set if reverse else [instance.pk]))


def location_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """An address's area is copied into its ranks."""
    if not (raw or created):
        schedule([instance.pk])


def connect() -> None:
    uid = "controle.board"
    post_save.connect(signal_saved, sender=Signal, dispatch_uid=uid)
    pre_delete.connect(signal_deleting, sender=Signal, dispatch_uid=uid)
    post_delete.connect(signal_deleted, sender=Signal, dispatch_uid=uid)
    m2m_changed.connect(locations_changed, sender=LINKS, dispatch_uid=uid)
    m2m_changed.connect(shares_changed, sender=SHARES, dispatch_uid=uid)
    post_save.connect(location_saved, sender=Location, dispatch_uid=uid)
