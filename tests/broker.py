"""The Redis database of the Celery tests: one per test database, so that the
PostgreSQL and the SQLite runs side by side (.ci/run) never take each
other's tasks."""

from django.db import connection

REDIS = ("127.0.0.1", 6379)
DATABASE = {"postgresql": 15, "sqlite": 14}


def broker_url() -> str:
    return f"redis://{REDIS[0]}:{REDIS[1]}/{DATABASE[connection.vendor]}"


def fresh_producers(app) -> None:
    """Forget the Celery app's connections made under another configuration:
    the producer pool and the result backend. Tasks applied eagerly by
    earlier tests in this process (a signal saved → a webhook delivery)
    made them for the broker and backend configured then (none), and
    `apply_async` / `AsyncResult.get` would keep using those instead of
    Redis ("No result backend is configured")."""
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app._backend_cache = None
    if hasattr(app._local, "backend"):
        del app._local.backend
