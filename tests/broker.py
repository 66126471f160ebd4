"""The Redis database of the Celery tests: one per test run, so that runs
side by side (.ci/run: two on PostgreSQL, two on SQLite) never take each
other's tasks. CASEWORK_TEST_REDIS_DB names it; by default one per kind of
database."""

import os
import socket

from django.db import connection

REDIS = ("127.0.0.1", 6379)
DATABASE = {"postgresql": 15, "sqlite": 14}


def broker_url() -> str:
    number = os.environ.get("CASEWORK_TEST_REDIS_DB") or DATABASE[connection.vendor]
    return f"redis://{REDIS[0]}:{REDIS[1]}/{int(number)}"


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


def redis_is_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


class RedisBroker:
    """For a TransactionTestCase that runs a real Celery worker: Redis must
    be up; the app takes this test database's Redis database as broker and
    result backend, tasks are not eager, and every connection made under
    another configuration is forgotten, before and after."""

    def setUp(self):
        from casework.celery import app

        super().setUp()
        if not redis_is_up():
            self.fail(
                "Redis must run on 127.0.0.1:6379 for this test (.ci/run starts it)."
            )
        previous = {
            key: app.conf[key]
            for key in ("broker_url", "result_backend", "task_always_eager")
        }
        broker = broker_url()
        app.conf.update(
            broker_url=broker, result_backend=broker, task_always_eager=False
        )
        fresh_producers(app)
        self.addCleanup(fresh_producers, app)
        self.addCleanup(app.conf.update, **previous)
