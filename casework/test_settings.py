"""Settings for the test suite: the real settings plus a throw-away key and a
fast password hasher. DATABASE_URL still selects SQLite or PostgreSQL."""

import os

os.environ.setdefault("SECRET_KEY", "casework-tests-only")

from casework.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CASEWORK_STRICT_POLICY = True
# The suite reuses user ids test after test within a minute: the per-user
# budget of denied log rows is raised here and lowered by the tests of it.
CASEWORK_DENIED_LOG_PER_MINUTE = 100_000
# Existing tests log users in with force_login: the second factor is off here
# and turned on with override_settings by the tests of it
# (tests/casework/test_accounts.py, docs/security.md).
CASEWORK_OTP_REQUIRED_ROLES = frozenset()
# No STATIC_ROOT to scan at start-up (WhiteNoise looks files up per request).
WHITENOISE_AUTOREFRESH = True
# The lock-out library logs every login and logout at INFO: quiet in the suite
# (its warnings still show).
LOGGING = {**LOGGING, "loggers": {"axes": {"level": "WARNING"}}}  # noqa: F405
