"""Health checks for load balancers and orchestrators (docs/deploy.md).

    GET /health/live   the process answers; touches nothing else (200)
    GET /health/ready  the database answers, every migration is applied and,
                       when CELERY_BROKER_URL is set, Redis answers (200/503)

Both are public (casework.middleware.PUBLIC_PREFIXES) and say only "ok" or
"unavailable" per check: no host, version, error text or count, so an
outsider learns nothing but whether the instance can serve. The reason of a
failure goes to the log, with the request id.
"""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("casework.health")

OK = "ok"
UNAVAILABLE = "unavailable"
PENDING = "pending"
NOT_CONFIGURED = "not configured"
# Seconds to wait for Redis: a probe must answer well within its own timeout.
BROKER_TIMEOUT = 2


def _database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("readiness: database unavailable (%s)", type(exc).__name__)
        return UNAVAILABLE
    return OK


def _migrations() -> str:
    """Pending when the code has a migration the database has not applied
    (a deploy whose `migrate` has not run yet)."""
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001
        logger.warning("readiness: migrations unknown (%s)", type(exc).__name__)
        return UNAVAILABLE
    if plan:
        logger.warning("readiness: %d migration(s) not applied", len(plan))
        return PENDING
    return OK


def _broker() -> str:
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url:
        return NOT_CONFIGURED
    if not url.startswith(("redis://", "rediss://", "unix://")):
        # Another broker kind: not checked here (Casework documents Redis).
        return NOT_CONFIGURED
    import redis

    client = redis.Redis.from_url(
        url, socket_timeout=BROKER_TIMEOUT, socket_connect_timeout=BROKER_TIMEOUT
    )
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001
        logger.warning("readiness: broker unavailable (%s)", type(exc).__name__)
        return UNAVAILABLE
    finally:
        client.close()
    return OK


@never_cache
@require_safe
def live(request):
    """The process is up and Django answers; no database, no broker."""
    return JsonResponse({"status": OK})


@never_cache
@require_safe
def ready(request):
    """Ready for traffic: 200 when every check passes, else 503."""
    database = _database()
    checks = {
        "database": database,
        "migrations": _migrations() if database == OK else UNAVAILABLE,
        "broker": _broker(),
    }
    healthy = all(value in (OK, NOT_CONFIGURED) for value in checks.values())
    return JsonResponse(
        {"status": OK if healthy else UNAVAILABLE, "checks": checks},
        status=200 if healthy else 503,
    )
