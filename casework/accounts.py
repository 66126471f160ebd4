"""Local accounts: the login page, the second factor and the password reset
(docs/security.md).

* Partner, FG and beheerder accounts (`CASEWORK_OTP_REQUIRED_ROLES`) pass a
  TOTP code (django-otp) after their password, before any other page:
  `SecondFactorMiddleware` sends them to enrolment (first time) or to
  verification. Sessions signed in through a backend named in
  `CASEWORK_OTP_EXEMPT_BACKENDS` (an identity provider that asks its own
  second factor) skip it.
* Enrolling is once: a confirmed device is replaced only by the operator
  (`manage.py reset_second_factor`), never by the account itself or the
  beheerder, so a stolen password cannot enrol a second device.
* The reset mail is sent through the environment's mail backend; a failure to
  send is logged and told to the user (Django's own form only logs it).
"""

import logging
import smtplib
from base64 import b32encode

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    UsernameField,
)
from django.contrib.auth.views import redirect_to_login
from django.core.mail import EmailMultiAlternatives
from django.http import HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

import django_otp
import qrcode
import qrcode.image.svg
from django_otp.plugins.otp_totp.models import TOTPDevice

from permissions.policy import actor_for

logger = logging.getLogger(__name__)

# Paths a signed-in user who still owes the second factor may open.
SECOND_FACTOR_OPEN_PREFIXES = (
    "/accounts/otp/",
    "/accounts/login/",
    "/accounts/logout/",
    "/static/",
)
MAIL_FAILED = _(
    "The e-mail could not be sent. Try again later, or ask your functional "
    "administrator."
)
TOKEN_WRONG = _("This code is not correct. Check the time on your phone and try again.")
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def second_factor_owed(request) -> bool:
    """Does this signed-in user still owe the second factor in this session?"""
    user = request.user
    roles = settings.CASEWORK_OTP_REQUIRED_ROLES
    if not roles or not user.is_authenticated or user.is_verified():
        return False
    backend = request.session.get("_auth_user_backend", "")
    if backend in getattr(settings, "CASEWORK_OTP_EXEMPT_BACKENDS", ()):
        return False
    return actor_for(user).role in roles


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class SecondFactorMiddleware:
    """After django-otp's middleware (which sets `user.is_verified()`): a user
    who owes the second factor sees the enrolment or verification page
    first, whatever page was asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(
            SECOND_FACTOR_OPEN_PREFIXES
        ) and second_factor_owed(request):
            target = "otp_verify" if confirmed_device(request.user) else "otp_setup"
            return redirect_to_login(request.get_full_path(), reverse(target))
        return self.get_response(request)


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _token(request) -> str:
    return "".join(request.POST.get("otp_token", "").split())[:16]


@never_cache
@sensitive_post_parameters("otp_token")
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator app: scan the code (or type the key), then
    confirm it with a first code. Only while the account has no confirmed
    device."""
    if confirmed_device(request.user):
        return HttpResponseRedirect(reverse("otp_verify") + _query(request))
    device = TOTPDevice.objects.filter(
        user=request.user, confirmed=False
    ).first() or TOTPDevice.objects.create(
        user=request.user, confirmed=False, name="authenticator"
    )
    error = ""
    if request.method == "POST":
        if device.verify_token(_token(request)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            return HttpResponseRedirect(_next_url(request))
        error = TOKEN_WRONG
    qr = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage
    ).to_string(encoding="unicode")
    context = {
        "qr_svg": qr,
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "error": error,
        "next": _next_url(request),
    }
    return render(request, "otp/setup.html", context, status=400 if error else 200)


@never_cache
@sensitive_post_parameters("otp_token")
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of the login: a code from the enrolled app. Wrong codes
    slow the device down (django-otp's throttling)."""
    device = confirmed_device(request.user)
    if device is None:
        # Nothing to verify yet: the page links to the enrolment.
        context = {"no_device": True, "next": _next_url(request)}
        return render(request, "otp/verify.html", context)
    error = ""
    if request.method == "POST":
        if device.verify_token(_token(request)):
            django_otp.login(request, device)
            return HttpResponseRedirect(_next_url(request))
        error = TOKEN_WRONG
    context = {"error": error, "next": _next_url(request)}
    return render(request, "otp/verify.html", context, status=400 if error else 200)


def _query(request) -> str:
    query = request.GET.urlencode()
    return "?" + query if query else ""


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class LoginForm(AuthenticationForm):
    """Django's login form with both lengths enforced: Django sets the
    username's `max_length` after the field is made, so no validator checks
    it, and an over-long name reached `authenticate` and django-axes, whose
    failed-attempt row refused it (a 500 on PostgreSQL). Declared here, the
    limits are validated before anything is authenticated."""

    username = UsernameField(
        max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class LoginView(auth_views.LoginView):
    """Django's login form (throttled by django-axes through its backend),
    which says so when the demo runs without the second factor. An
    organisation's single sign-on adds its buttons to this page."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["second_factor_off"] = (
            settings.DEBUG and not settings.CASEWORK_OTP_REQUIRED_ROLES
        )
        return context


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login while the account or the address is
    locked out (AXES_LOCKOUT_CALLABLE): the Dutch page, status 429."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    return render(
        request, "registration/locked_out.html", {"minutes": minutes}, status=429
    )


class SurfacingPasswordResetForm(PasswordResetForm):
    """Django's reset form, except that a mail that cannot be sent raises
    instead of being logged and forgotten."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(
            loader.render_to_string(subject_template_name, context).splitlines()
        )
        body = loader.render_to_string(email_template_name, context)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()


class PasswordResetView(auth_views.PasswordResetView):
    """Reachable without a session (casework.middleware.PUBLIC_PREFIXES). The
    answer is the same whether or not the address is known, unless the mail
    server fails: then the user is told to try later (503) and the error is
    logged."""

    form_class = SurfacingPasswordResetForm

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except MAIL_ERRORS:
            logger.exception("Password reset mail could not be sent")
            form.add_error(None, MAIL_FAILED)
            return self.render_to_response(self.get_context_data(form=form), status=503)
