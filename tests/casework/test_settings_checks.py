import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase, override_settings

ROOT = Path(__file__).resolve().parents[2]


class SecretKeyTests(SimpleTestCase):
    """Outside the demo a missing SECRET_KEY is an error where it matters."""

    def run_python(self, *args):
        env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
        env["DJANGO_SETTINGS_MODULE"] = "casework.settings"
        return subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env,
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    def test_the_wsgi_application_refuses_to_start(self):
        done = self.run_python("-c", "import casework.wsgi")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("SECRET_KEY", done.stderr)

    def test_deploy_check_reports_it(self):
        done = self.run_python("manage.py", "check", "--deploy")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("casework.E001", done.stderr)

    def test_demo_mode_runs_without_a_key(self):
        env_args = ["-c", "import os; os.environ['DEBUG']='true'; import casework.wsgi"]
        done = self.run_python(*env_args)
        self.assertEqual(done.returncode, 0, done.stderr)


class AccessLogKeyCheckTests(SimpleTestCase):
    def test_without_debug_a_missing_key_is_an_error(self):
        from casework.checks import access_log_key_check

        with override_settings(DEBUG=False, ACCESS_LOG_KEY=""):
            errors = access_log_key_check(None)
        self.assertEqual([e.id for e in errors], ["casework.E002"])
        with override_settings(DEBUG=False, ACCESS_LOG_KEY="k" * 40):
            self.assertEqual(access_log_key_check(None), [])
        with override_settings(DEBUG=True, ACCESS_LOG_KEY=""):
            self.assertEqual(access_log_key_check(None), [])
