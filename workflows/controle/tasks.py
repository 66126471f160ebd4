from celery import shared_task

from . import ranks


@shared_task(name="workflows.controle.tasks.refresh_board")
def refresh_board() -> dict:
    """Celery beat entry point for `ranks.rebuild` (nightly: the selection
    board's window moves by a day)."""
    rebuilt = ranks.rebuild()
    return {"scopes": rebuilt.scopes, "rows": rebuilt.rows}
