from django.contrib import admin
from django.urls import include, path

from . import accounts, assignment_views, health, signal_import_views, views
from .registry import registry

case_patterns = [
    path("", views.case_list, name="case_list"),
    path("<ref:reference>/", views.case_detail, name="case_detail"),
    path("<ref:reference>/transition/", views.case_transition, name="case_transition"),
    path("<ref:reference>/step/<slug:name>/", views.case_step, name="case_step"),
    path("<ref:reference>/process.svg", views.case_process, name="case_process"),
    path("<ref:reference>/parties/add/", views.case_add_party, name="case_add_party"),
    path(
        "<ref:reference>/locations/add/",
        views.case_add_location,
        name="case_add_location",
    ),
    path("<ref:reference>/team/add/", views.case_add_team_member, name="case_add_team"),
    path("<ref:reference>/links/add/", views.case_add_link, name="case_add_link"),
    path(
        "<ref:reference>/deadlines/add/", views.deadline_create, name="deadline_create"
    ),
    path(
        "<ref:reference>/deadlines/<int:pk>/",
        views.deadline_detail,
        name="deadline_detail",
    ),
    path(
        "<ref:reference>/deadlines/<int:pk>/<slug:action>/",
        views.deadline_action,
        name="deadline_action",
    ),
    path(
        "<ref:reference>/documents/new/", views.document_create, name="document_create"
    ),
    path(
        "<ref:reference>/documents/<int:pk>/",
        views.document_download,
        name="document_download",
    ),
    # Who holds the case (docs/assignment.md).
    path(
        "<ref:reference>/assign/claim/",
        assignment_views.assign_claim,
        name="assign_claim",
    ),
    path(
        "<ref:reference>/assign/release/",
        assignment_views.assign_release,
        name="assign_release",
    ),
    path(
        "<ref:reference>/assign/hand-over/",
        assignment_views.assign_hand_over,
        name="assign_hand_over",
    ),
    # The pages of the case types under a case (casework.registry).
    *registry.case_urls,
]

signal_patterns = [
    path("", views.signal_list, name="signal_list"),
    path("new/", views.signal_create, name="signal_create"),
    # The import of a partner's CSV file (docs/import.md); before the
    # references, which "import" would match.
    path("import/", signal_import_views.signal_import_page, name="signal_import"),
    path(
        "import/confirm/",
        signal_import_views.signal_import_confirm,
        name="signal_import_confirm",
    ),
    path("<ref:reference>/", views.signal_detail, name="signal_detail"),
    path("<ref:reference>/triage/", views.signal_start_triage, name="signal_triage"),
    path("<ref:reference>/convert/", views.signal_convert, name="signal_convert"),
    path("<ref:reference>/file/", views.signal_file, name="signal_file"),
]

casework_patterns = [
    path("", views.home, name="home"),
    path("cases/", include(case_patterns)),
    path("signals/", include(signal_patterns)),
    path("search/", views.search, name="search"),
    # Saved filters of the case list (casework/listing.py, docs/listing.md).
    path("views/", views.saved_views, name="saved_views"),
    path("work/distribute/", assignment_views.distribute, name="distribute"),
    # The case types' own pages (casework.registry).
    *registry.urls,
]

urlpatterns = [
    # Public, no login: for load balancers (casework/health.py, docs/deploy.md).
    path("health/live", health.live, name="health_live"),
    path("health/ready", health.ready, name="health_ready"),
    path("", include((casework_patterns, "casework"))),
    path("audit/", include("permissions.urls")),
    # The tafels' meetings and agendas (docs/tafels.md).
    path("tafels/", include("tafels.urls")),
    # The partner API (docs/api.md), the lookups (docs/lookups.md) and the
    # notification settings (docs/notifications.md).
    path("api/", include("api.urls")),
    path("lookups/", include("lookups.urls")),
    path("notifications/", include("notifications.urls")),
    # Steering (issue 18): indicators, hotspots, the programme monitor and the
    # governance reports (docs/steering.md).
    path("steering/", include("steering.urls")),
    path("hotspots/", include("hotspots.urls")),
    path("programme/", include("programme.urls")),
    path("reports/", include("reports.urls")),
    # Local accounts (casework/accounts.py, docs/security.md): the login page,
    # the second factor and a reset whose mail failures are shown; the rest is
    # Django's (password change, reset confirmation, logout).
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/otp/setup/", accounts.otp_setup, name="otp_setup"),
    path("accounts/otp/verify/", accounts.otp_verify, name="otp_verify"),
    # Single sign-on (sso/urls.py): the providers' sign-in under the login
    # page, and a logout that also ends a provider's session.
    path("accounts/", include("sso.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
