"""Mounted at /accounts/ before Django's account URLs (casework/urls.py):
the sign-in pages sit under the login page's prefix, which is public
(casework.middleware) and open before the second factor
(casework.accounts); the logout replaces Django's at the same path."""

from django.urls import path

from mozilla_django_oidc.views import OIDCLogoutView

from . import views

urlpatterns = [
    path(
        "login/oidc/<slug:slug>/", views.ProviderLoginView.as_view(), name="sso_login"
    ),
    path(
        "login/oidc/<slug:slug>/callback/",
        views.ProviderCallbackView.as_view(),
        name="sso_callback",
    ),
    # Django's logout, then the provider's for a provider's session
    # (OIDC_OP_LOGOUT_URL_METHOD = sso.views.provider_logout_url). Django's
    # own, at the same path and under the same name, is never reached.
    path("logout/", OIDCLogoutView.as_view(), name="logout"),
]
