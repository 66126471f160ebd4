"""The Redis database of the Celery tests: one per test database, so that the
PostgreSQL and the SQLite runs side by side (.ci/run) never take each
other's tasks."""

from django.db import connection

REDIS = ("127.0.0.1", 6379)
DATABASE = {"postgresql": 15, "sqlite": 14}


def broker_url() -> str:
    return f"redis://{REDIS[0]}:{REDIS[1]}/{DATABASE[connection.vendor]}"
