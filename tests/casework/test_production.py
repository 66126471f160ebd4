"""Issue 15 item 1: the production server (docs/deploy.md).

Health checks, the request id and JSON logs, gunicorn started with
deploy/gunicorn.conf.py the way `make serve` starts it, and the PostgreSQL
connections an instance holds under load.
"""

import io
import json
import logging
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from unittest import skipUnless

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.test import SimpleTestCase, TestCase, TransactionTestCase
from django.test.utils import override_settings

import pytest

from casework.logging import JsonFormatter, RequestIdFilter
from casework.middleware import PUBLIC_PREFIXES
from casework.wsgi import application
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"
REDIS = ("127.0.0.1", 6379)


def redis_is_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


def wsgi_get(path: str, *, cookie: str = "", request_id: str = ""):
    """GET through the real WSGI application (casework.wsgi), as gunicorn
    calls it: Django's request_started/request_finished run, so connections
    are kept or closed exactly as in production (the test client skips that)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    if request_id:
        environ["HTTP_X_REQUEST_ID"] = request_id
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    response = application(environ, start_response)
    try:
        answer["body"] = b"".join(response)
    finally:
        response.close()  # fires request_finished
    return answer


class HealthTests(TestCase):
    def test_live_answers_anonymous_without_touching_the_database(self):
        with self.assertNumQueries(0):
            response = self.client.get("/health/live")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
        self.assertIn("no-store", response["Cache-Control"])

    def test_ready_answers_200_when_database_and_migrations_are_fine(self):
        response = self.client.get("/health/ready")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {
                "status": "ok",
                "checks": {
                    "database": "ok",
                    "migrations": "ok",
                    "broker": "not configured",
                },
            },
        )
        self.assertIn("no-store", response["Cache-Control"])

    def test_ready_is_503_while_a_migration_is_not_applied(self):
        newest = MigrationRecorder.Migration.objects.filter(app="casework").latest("id")
        newest.delete()  # as if the deploy's `migrate` had not run yet
        response = self.client.get("/health/ready")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["status"], "unavailable")
        self.assertEqual(response.json()["checks"]["migrations"], "pending")
        self.assertNotContains(response, newest.name, status_code=503)

    @override_settings(CELERY_BROKER_URL=CLOSED_PORT_BROKER)
    def test_ready_is_503_when_the_broker_does_not_answer(self):
        response = self.client.get("/health/ready")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["checks"]["broker"], "unavailable")
        self.assertEqual(body["checks"]["database"], "ok")
        # Nothing about where the broker is, or why it failed.
        for detail in ("127.0.0.1", "redis", "Error", "refused"):
            self.assertNotIn(detail, response.content.decode())

    @override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/15")
    def test_ready_pings_a_configured_redis(self):
        if not redis_is_up():
            self.skipTest("Redis does not run on 127.0.0.1:6379 (.ci/run starts it)")
        response = self.client.get("/health/ready")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["checks"]["broker"], "ok")

    def test_checks_refuse_writes(self):
        for path in ("/health/live", "/health/ready"):
            self.assertEqual(self.client.post(path).status_code, 405)

    def test_only_the_two_checks_pass_the_login_wall(self):
        self.assertIn("/health/live", PUBLIC_PREFIXES)
        self.assertIn("/health/ready", PUBLIC_PREFIXES)
        response = self.client.get("/health/")
        self.assertEqual(response.status_code, 302)
        self.assertIn(settings.LOGIN_URL, response["Location"])


class DatabaseDownTests(TransactionTestCase):
    def test_ready_is_503_when_the_database_does_not_answer(self):
        """A real failed connection: the request runs in a thread whose
        database connection points at a database that does not exist."""
        answer = {}
        unreachable = dict(connections.settings["default"])
        if connection.vendor == "postgresql":
            unreachable["NAME"] = "casework_no_such_database"
        else:
            unreachable["NAME"] = "/nonexistent-directory/casework.sqlite3"

        def probe():
            wrapper = connections["default"].__class__(unreachable, "default")
            connections["default"] = wrapper  # this thread only
            try:
                answer.update(wsgi_get("/health/ready"))
            finally:
                wrapper.close()

        worker = threading.Thread(target=probe)
        worker.start()
        worker.join()
        self.assertEqual(answer["status"], 503)
        body = json.loads(answer["body"])
        self.assertEqual(body["checks"]["database"], "unavailable")
        self.assertEqual(body["checks"]["migrations"], "unavailable")
        self.assertNotIn(b"casework_no_such_database", answer["body"])
        self.assertNotIn(b"nonexistent", answer["body"])


class RequestIdTests(TestCase):
    def test_every_response_carries_a_new_request_id(self):
        first = self.client.get("/health/live")["X-Request-ID"]
        second = self.client.get("/health/live")["X-Request-ID"]
        self.assertRegex(first, r"^[0-9a-f]{32}$")
        self.assertNotEqual(first, second)

    def test_a_proxys_well_formed_id_is_kept(self):
        response = self.client.get("/health/live", HTTP_X_REQUEST_ID="lb-42.abc")
        self.assertEqual(response["X-Request-ID"], "lb-42.abc")

    def test_a_hostile_id_is_replaced(self):
        for hostile in ("a\nforged log line", "x" * 200, "a\x00b", "<script>", ""):
            response = self.client.get("/health/live", HTTP_X_REQUEST_ID=hostile)
            self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$", hostile)

    @override_settings(TRUST_REQUEST_ID=False)
    def test_without_trust_every_id_is_new(self):
        response = self.client.get("/health/live", HTTP_X_REQUEST_ID="lb-42")
        self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")


class JsonLogTests(TestCase):
    def capture(self, logger_name: str) -> io.StringIO:
        """A handler built as settings.LOGGING builds the production one."""
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestIdFilter())
        logger = logging.getLogger(logger_name)
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)
        return stream

    def test_production_logging_is_json_with_the_request_id(self):
        # casework.test_settings runs with DEBUG off, as production does.
        self.assertEqual(settings.LOG_FORMAT, "json")
        console = settings.LOGGING["handlers"]["console"]
        self.assertEqual(console["formatter"], "json")
        self.assertEqual(console["filters"], ["request_id"])
        self.assertEqual(
            settings.LOGGING["formatters"]["json"]["()"],
            "casework.logging.JsonFormatter",
        )
        self.assertEqual(settings.MIDDLEWARE[0], "casework.logging.RequestIdMiddleware")

    @override_settings(CELERY_BROKER_URL=CLOSED_PORT_BROKER)
    def test_a_line_written_during_a_request_carries_its_id(self):
        stream = self.capture("casework.health")
        response = self.client.get("/health/ready", HTTP_X_REQUEST_ID="probe-7")
        self.assertEqual(response.status_code, 503)
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        self.assertEqual(len(lines), 1)
        line = lines[0]
        self.assertEqual(line["request_id"], "probe-7")
        self.assertEqual(line["level"], "WARNING")
        self.assertEqual(line["logger"], "casework.health")
        self.assertIn("broker unavailable", line["message"])
        self.assertRegex(
            line["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$"
        )

    def test_outside_a_request_the_id_is_a_dash(self):
        stream = self.capture("casework.test")
        logging.getLogger("casework.test").warning("sweep done")
        self.assertEqual(json.loads(stream.getvalue())["request_id"], "-")

    def test_djangos_request_object_is_not_dumped(self):
        """django.request passes the request (with its query string, which may
        hold search terms) as an extra; the line leaves it out."""
        stream = self.capture("casework.test")
        logging.getLogger("casework.test").warning(
            "Not Found: %s", "/x", extra={"request": "GET /search/?q=123456782"}
        )
        line = json.loads(stream.getvalue())
        self.assertNotIn("request", line)
        self.assertNotIn("123456782", stream.getvalue())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "PYTEST_"))
    }
    for key in ("DATABASE_URL", "SECRET_KEY_FILE", "ACCESS_LOG_KEY_FILE"):
        env.pop(key, None)
    env.update(
        DEBUG="false",
        LOG_FORMAT="json",
        CELERY_BROKER_URL="",
        SECRET_KEY="production-test-key-" + "k" * 40,
        ACCESS_LOG_KEY="production-test-access-log-key",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
    )
    env.update(extra)
    return env


class GunicornTests(SimpleTestCase):
    """gunicorn started with deploy/gunicorn.conf.py as `make serve` starts
    it, DEBUG off, on a fresh SQLite database and a fresh STATIC_ROOT."""

    def test_config_takes_workers_and_threads_from_the_environment(self):
        result = subprocess.run(
            [GUNICORN, "-c", "deploy/gunicorn.conf.py", "--print-config",
             "casework.wsgi:application"],
            cwd=ROOT, env=server_env(GUNICORN_WORKERS="5", GUNICORN_THREADS="3"),
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        self.assertEqual(result.returncode, 0, result.stderr)
        config = dict(
            re.findall(r"^(\w+)\s+= (.*)$", result.stdout, flags=re.MULTILINE)
        )
        self.assertEqual(config["workers"], "5")
        self.assertEqual(config["threads"], "3")
        self.assertEqual(config["worker_class"], "gthread")
        self.assertEqual(config["accesslog"], "-")
        self.assertEqual(config["timeout"], "30")

    def test_default_size_grows_with_the_cores(self):
        env = server_env()
        del env["GUNICORN_WORKERS"], env["GUNICORN_THREADS"]
        result = subprocess.run(
            [GUNICORN, "-c", "deploy/gunicorn.conf.py", "--print-config",
             "casework.wsgi:application"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        config = dict(
            re.findall(r"^(\w+)\s+= (.*)$", result.stdout, flags=re.MULTILINE)
        )
        self.assertEqual(config["workers"], str(2 * os.cpu_count() + 1))
        self.assertEqual(config["threads"], "1")

    def test_make_serve_runs_gunicorn_with_debug_off_after_collectstatic(self):
        if not shutil.which("make"):
            self.skipTest("make is not installed")
        result = subprocess.run(
            ["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        commands = result.stdout.splitlines()
        serve = [c for c in commands if c.startswith("DEBUG=false ")]
        self.assertEqual(len(serve), 4, result.stdout)
        self.assertIn("manage.py check --deploy --fail-level ERROR", serve[0])
        self.assertIn("manage.py migrate --no-input", serve[1])
        self.assertIn("manage.py collectstatic --no-input", serve[2])
        self.assertEqual(
            serve[3],
            "DEBUG=false exec .venv/bin/gunicorn --config deploy/gunicorn.conf.py"
            " casework.wsgi:application",
        )

    def test_gunicorn_refuses_to_start_without_a_secret_key(self):
        env = server_env(GUNICORN_BIND=f"127.0.0.1:{free_port()}")
        del env["SECRET_KEY"]
        result = subprocess.run(
            [GUNICORN, "-c", "deploy/gunicorn.conf.py", "casework.wsgi:application"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY", result.stderr + result.stdout)

    def test_serves_health_and_static_files_with_json_access_log(self):
        tmp = Path(tempfile.mkdtemp(prefix="casework-serve-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        port = free_port()
        env = server_env(
            DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3",
            STATIC_ROOT=str(tmp / "static"),
            GUNICORN_BIND=f"127.0.0.1:{port}",
        )
        collect = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        self.assertEqual(collect.returncode, 0, collect.stderr)
        self.assertTrue((tmp / "static" / "css" / "casework.css").exists())
        out, err = tmp / "stdout", tmp / "stderr"
        with open(out, "w") as stdout, open(err, "w") as stderr:
            server = subprocess.Popen(
                [GUNICORN, "-c", "deploy/gunicorn.conf.py",
                 "casework.wsgi:application"],
                cwd=ROOT, env=env, stdout=stdout, stderr=stderr,
            )  # fmt: skip
        self.addCleanup(server.wait, 30)
        self.addCleanup(server.terminate)
        base = f"http://127.0.0.1:{port}"
        live = self.wait_for(base + "/health/live", server, err)
        self.assertEqual(live.status, 200)
        self.assertEqual(json.loads(live.read()), {"status": "ok"})
        # The fresh database has no tables yet: not ready, and it says why.
        ready = self.fetch(base + "/health/ready")
        self.assertEqual(ready.status, 503)
        self.assertEqual(json.loads(ready.read())["checks"]["migrations"], "pending")
        # Static files come from STATIC_ROOT through WhiteNoise, with DEBUG off.
        css = self.fetch(
            base + "/static/css/casework.css",
            headers={"Accept-Encoding": "gzip", "X-Request-ID": "static-1"},
        )
        self.assertEqual(css.status, 200)
        self.assertTrue(css.headers["Content-Type"].startswith("text/css"))
        self.assertIn("max-age=60", css.headers["Cache-Control"])
        self.assertEqual(css.headers["X-Request-ID"], "static-1")
        missing = self.fetch(base + "/static/css/no-such-file.css")
        self.assertNotEqual(missing.status, 200)
        server.terminate()
        server.wait(30)
        access = [
            json.loads(line)
            for line in out.read_text().splitlines()
            if '"gunicorn.access"' in line
        ]
        by_id = {line["request_id"]: line for line in access}
        self.assertIn("static-1", by_id)
        self.assertEqual(by_id["static-1"]["path"], "/static/css/casework.css")
        self.assertEqual(by_id["static-1"]["status"], "200")
        self.assertEqual(by_id["static-1"]["method"], "GET")
        self.assertTrue(all(re.fullmatch(r"[0-9a-f]{32}|static-1", i) for i in by_id))

    def fetch(self, url, headers=None):
        request = urllib.request.Request(url, headers=headers or {})
        try:
            return urllib.request.urlopen(request, timeout=30)
        except urllib.error.HTTPError as error:
            return error

    def wait_for(self, url, server, err):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                self.fail(f"gunicorn exited: {err.read_text()[-2000:]}")
            try:
                return self.fetch(url)
            except urllib.error.URLError:
                time.sleep(0.2)
        self.fail(f"gunicorn did not answer: {err.read_text()[-2000:]}")


@pytest.mark.postgres
@skipUnless(connection.vendor == "postgresql", "counts PostgreSQL backends")
class ConnectionCountTests(TransactionTestCase):
    """Why runserver leaked and gunicorn does not.

    Django keeps a connection per thread. At the end of a request it closes
    it only when CONN_MAX_AGE has passed; otherwise the connection stays with
    the thread for its next request. runserver starts a new thread for every
    request and never closes the thread's connection when the thread ends
    (only Django's test server does), so with DB_CONN_MAX_AGE=60 each request
    left a connection open until the garbage collector happened to free it:
    about 90 requests exhausted PostgreSQL's 100 slots. gunicorn's gthread
    worker reuses a fixed pool of threads, so an instance holds at most
    workers × threads connections, each checked before reuse
    (CONN_HEALTH_CHECKS).
    """

    THREADS = 6
    REQUESTS = 1000

    def setUp(self):
        self.db = connections.settings["default"]
        self.previous = {k: self.db[k] for k in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
        self.addCleanup(self.db.update, self.previous)
        self.user = UserFactory(role="jurist")
        self.client.force_login(self.user)
        self.cookie = f"sessionid={self.client.cookies['sessionid'].value}"
        self.baseline = self.backends()

    def backends(self) -> int:
        """Other connections to the test database than this thread's own."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]

    def wait_for_backends(self, expected: int) -> int:
        """A closed connection's backend leaves pg_stat_activity a moment
        after the client hangs up: wait for it (at most 10 s)."""
        for _ in range(100):
            count = self.backends()
            if count <= expected:
                return count
            time.sleep(0.1)
        return count

    def test_production_settings_check_connections_before_reuse(self):
        self.assertIs(settings.DATABASES["default"]["CONN_HEALTH_CHECKS"], True)

    def test_a_thread_pool_holds_one_connection_per_thread_over_1000_requests(self):
        self.db.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
        paths = queue.Queue()
        for n in range(self.REQUESTS):
            paths.put(("/health/ready", "/", "/cases/")[n % 3])
        statuses, errors, pids = [], [], set()

        def worker():
            try:
                while True:
                    try:
                        path = paths.get_nowait()
                    except queue.Empty:
                        return
                    answer = wsgi_get(path, cookie=self.cookie)
                    statuses.append(answer["status"])
                    pid = connections["default"].connection
                    if pid is not None:
                        pids.add((threading.get_ident(), pid.info.backend_pid))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                # A gunicorn worker's connections end with its process.
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(self.THREADS)]
        for thread in threads:
            thread.start()
        peak = 0
        while any(thread.is_alive() for thread in threads):
            peak = max(peak, self.backends() - self.baseline)
            time.sleep(0.05)
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(statuses), self.REQUESTS)
        self.assertEqual(set(statuses), {200})
        self.assertGreater(peak, 0)  # the requests did use the database
        self.assertLessEqual(peak, self.THREADS)
        # Each thread kept one backend for all its requests.
        self.assertLessEqual(len({pid for _, pid in pids}), self.THREADS)
        self.assertEqual(self.wait_for_backends(self.baseline), self.baseline)

    def thread_per_request(self, requests: int) -> list:
        """runserver's pattern: each request in a new thread that ends without
        closing its connection. The wrappers are kept, as a thread's leftover
        connection lives until the garbage collector frees it."""
        kept = []

        def one():
            wsgi_get("/health/ready")
            wrapper = connections["default"]
            wrapper.inc_thread_sharing()  # so that the test can close it
            kept.append(wrapper)

        for _ in range(requests):
            thread = threading.Thread(target=one)
            thread.start()
            thread.join()
        return kept

    def test_a_thread_per_request_keeps_a_connection_per_request(self):
        self.db.update(CONN_MAX_AGE=60)
        kept = self.thread_per_request(10)
        try:
            self.assertEqual(self.backends() - self.baseline, 10)
        finally:
            for wrapper in kept:
                wrapper.close()
        self.assertEqual(self.wait_for_backends(self.baseline), self.baseline)

    def test_with_conn_max_age_0_each_request_closes_its_connection(self):
        self.db.update(CONN_MAX_AGE=0)
        kept = self.thread_per_request(10)
        self.assertEqual(self.wait_for_backends(self.baseline), self.baseline)
        self.assertTrue(all(wrapper.connection is None for wrapper in kept))
