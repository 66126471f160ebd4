"""Response headers that Django's own settings do not set (docs/security.md).

One rule for caching: every response a view makes — case pages, signals, the
access log, Mijn werk, search, every document download, the login page and the
error pages alike — carries `Cache-Control: no-store` (with Django's other
never-cache headers), so no browser or proxy keeps a copy of case data after
the session ends. Only static files (served before this middleware, by the
proxy or whitenoise) may be cached. A rule per URL prefix would miss the pages
the case types add at the top level (/pga/…, /controle/…).

An SVG drawn by the app and fetched as an image (the process picture) styles
itself with its own <style> element: such a response gets a policy of its own
that allows that style and nothing else, in place of the page policy.
"""

from django.conf import settings
from django.utils.cache import add_never_cache_headers

CSP_HEADER = "Content-Security-Policy"
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


class ResponseHeadersMiddleware:
    """Placed after django-csp's middleware, so it answers first: the CSP
    middleware keeps a policy that is already set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            add_never_cache_headers(response)
        if response.get("Content-Type", "").startswith("image/svg+xml"):
            response[CSP_HEADER] = SVG_POLICY
        return response
