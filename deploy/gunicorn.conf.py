"""gunicorn configuration for Casework (docs/deploy.md, "Web server").

    gunicorn -c deploy/gunicorn.conf.py casework.wsgi:application

`make serve` runs exactly that. Every value can be set from the environment;
the defaults suit a 2-core machine and grow with the number of cores.

Sizing. A Casework request spends about 12 ms of CPU in Python and 3 ms in
PostgreSQL (the load test, docs/performance.md "Load test"): it is CPU work,
and threads of one process share one interpreter lock. The default is
therefore two workers per core plus one, with one thread each: 2 cores → 5
processes, 5 requests at once. Measured on the 1M database with 100 users
(1-5 s think time): 5 × 1 gave p95 35 ms and 147 requests/s at saturation,
3 × 4 p95 69 ms and 106 requests/s. GUNICORN_THREADS > 1 helps only where
requests wait on something slow outside the process.

Database connections. Each thread keeps its own PostgreSQL connection for
DB_CONN_MAX_AGE seconds (checked before reuse, DB_CONN_HEALTH_CHECKS), so an
instance holds at most GUNICORN_WORKERS × GUNICORN_THREADS connections (5 by
default on 2 cores) - gthread's threads live as long as their worker. Keep the sum over
all instances, Celery workers and beat below PostgreSQL's max_connections
(100 by default). tests/casework/test_production.py counts them.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value.strip():
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise SystemExit(f"{name} must be an integer, not {value!r}") from exc


_cores = multiprocessing.cpu_count()

# Where to listen. Behind a TLS proxy on the same host keep 127.0.0.1; in a
# container 0.0.0.0:8000 (deploy/compose.yaml).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", 2 * _cores + 1)
threads = _int("GUNICORN_THREADS", 1)

# A request running longer than this is killed with its worker (a runaway
# query or PDF). The longest legitimate requests (a large export or letter)
# take a few seconds.
timeout = _int("GUNICORN_TIMEOUT", 30)
# Time a worker gets to finish its requests on restart or shutdown.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds an idle keep-alive connection from the proxy stays open: longer
# than the proxy keeps an idle connection to us (nginx's upstream
# keepalive_timeout and most load balancers: 60 s). Shorter, and the proxy
# sends a request on a connection gunicorn is just closing and gets a reset,
# which it does not retry for a POST. At 5 s the load test's clients, idle up
# to 5 s between requests, got such resets: 15 in 3,171 requests; at 75 s
# none in 3,570 (docs/performance.md, "Load test"). An idle connection holds
# no thread: the gthread worker parks it in its poller.
keepalive = _int("GUNICORN_KEEPALIVE", 75)

# Recycle each worker after about this many requests (jitter spreads the
# restarts), bounding the effect of any slow leak. 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Size limits on the request head (gunicorn's defaults, stated): a longer
# request line or header is answered 400 before Django sees it.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# The proxy in front sets X-Forwarded-Proto; trust it only from these
# addresses (comma-separated; "*" when the proxy's address is not fixed, as
# in a container network).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs: the access log to stdout and gunicorn's own messages to stderr, both
# as JSON lines with the request id (casework/logging.py), for the journal or
# the container runtime to collect. The query string is never logged.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = "%(m)s %(U)s %(s)s"
_json = os.environ.get("LOG_FORMAT", "json").strip().lower() != "text"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "casework.logging.RequestIdFilter"},
        "access": {"()": "casework.logging.GunicornAccessFilter"},
    },
    "formatters": {
        "json": {"()": "casework.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if _json else "text",
            "filters": ["access"],
        },
        "error": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json" if _json else "text",
            "filters": ["request_id"],
        },
    },
    # Django's LOGGING (casework/settings.py) takes over the root logger in
    # each worker once the application is loaded.
    "root": {"level": "INFO", "handlers": ["error"]},
    "loggers": {
        "gunicorn.access": {
            "level": "INFO",
            "handlers": ["access"],
            "propagate": False,
        },
        "gunicorn.error": {
            "level": loglevel.upper(),
            "handlers": ["error"],
            "propagate": False,
        },
    },
}

# The control socket (gunicorn 25+) is an admin interface nobody here uses.
control_socket_disable = True
# Temporary files of the heartbeat in memory, not on a possibly slow disk.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (
    "/dev/shm" if os.path.isdir("/dev/shm") else None
)
