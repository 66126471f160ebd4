import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
application = get_wsgi_application()

# Fail at start, not at the first request, when SECRET_KEY is missing: Django
# raises ImproperlyConfigured on reading an empty key.
settings.SECRET_KEY  # noqa: B018
