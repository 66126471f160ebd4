from django.conf import settings
from django.contrib.auth.views import redirect_to_login

# The password-reset pages: a user who forgot the password asks for the mail
# (`password_reset/`, `password_reset/done/`: the same answer whether or not
# the address is known) and opens its link (`reset/`) without a session.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/password_reset/",
    "/accounts/reset/",
    "/static/",
    # The health checks for the load balancer (casework/health.py): they say
    # only ok or unavailable.
    "/health/live",
    "/health/ready",
    # The partner API authenticates each request itself (OAuth2 bearer
    # tokens, api/auth.py) and answers 401 as problem details, never with
    # this login page (docs/api.md).
    "/api/",
)


class LoginRequiredMiddleware:
    """Every page needs a logged-in user, except the login and password-reset
    pages and static files.

    A deny-by-default gate: a view that forgets its own check is still closed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(
            PUBLIC_PREFIXES
        ):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
