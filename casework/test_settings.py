"""Settings for the test suite: the real settings plus a throw-away key and a
fast password hasher. DATABASE_URL still selects SQLite or PostgreSQL."""

import os

os.environ.setdefault("SECRET_KEY", "casework-tests-only")

from casework.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
