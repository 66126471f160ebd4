from django.contrib import admin
from django.urls import include, path

from workflows import bibob_views, controle_views, lod_views, pga_views

from . import views

case_patterns = [
    path("", views.case_list, name="case_list"),
    path("<str:reference>/", views.case_detail, name="case_detail"),
    path("<str:reference>/transition/", views.case_transition, name="case_transition"),
    path("<str:reference>/step/<slug:name>/", views.case_step, name="case_step"),
    path(
        "<str:reference>/assessment/", lod_views.lod_assessment, name="lod_assessment"
    ),
    path(
        "<str:reference>/planning/", controle_views.planning, name="controle_planning"
    ),
    path(
        "<str:reference>/findings/", controle_views.findings, name="controle_findings"
    ),
    path(
        "<str:reference>/briefing/", controle_views.briefing, name="controle_briefing"
    ),
    path("<str:reference>/process.svg", views.case_process, name="case_process"),
    path("<str:reference>/parties/add/", views.case_add_party, name="case_add_party"),
    path(
        "<str:reference>/locations/add/",
        views.case_add_location,
        name="case_add_location",
    ),
    path("<str:reference>/team/add/", views.case_add_team_member, name="case_add_team"),
    path("<str:reference>/links/add/", views.case_add_link, name="case_add_link"),
    path(
        "<str:reference>/deadlines/add/", views.deadline_create, name="deadline_create"
    ),
    path(
        "<str:reference>/deadlines/<int:pk>/",
        views.deadline_detail,
        name="deadline_detail",
    ),
    path(
        "<str:reference>/deadlines/<int:pk>/<slug:action>/",
        views.deadline_action,
        name="deadline_action",
    ),
    path(
        "<str:reference>/documents/new/", views.document_create, name="document_create"
    ),
    path(
        "<str:reference>/documents/<int:pk>/",
        views.document_download,
        name="document_download",
    ),
    path("<str:reference>/legal-protection/", include("workflows.urls")),
    path("<str:reference>/bibob/", include("workflows.bibob_urls")),
    path("<str:reference>/pga/", include("workflows.pga_urls")),
]

signal_patterns = [
    path("", views.signal_list, name="signal_list"),
    path("new/", views.signal_create, name="signal_create"),
    path("<str:reference>/", views.signal_detail, name="signal_detail"),
    path("<str:reference>/triage/", views.signal_start_triage, name="signal_triage"),
    path("<str:reference>/convert/", views.signal_convert, name="signal_convert"),
    path("<str:reference>/file/", views.signal_file, name="signal_file"),
]

casework_patterns = [
    path("", views.home, name="home"),
    path("cases/", include(case_patterns)),
    path("signals/", include(signal_patterns)),
    path("search/", views.search, name="search"),
    path("controle/selection/", controle_views.board, name="controle_board"),
    path("controle/", controle_views.dashboard, name="controle_dashboard"),
    path(
        "controle/selection/<int:pk>/select/",
        controle_views.board_select_view,
        name="controle_select",
    ),
    path(
        "controle/selection/<int:pk>/dismiss/",
        controle_views.board_dismiss_view,
        name="controle_dismiss",
    ),
    path("bibob/outcomes/", bibob_views.outcomes, name="bibob_outcomes"),
    path("pga/referral/new/", pga_views.referral_new, name="pga_referral_new"),
    path("pga/top-x/", pga_views.top_x, name="pga_top_x"),
    path("pga/shielded/", pga_views.shielded, name="pga_shielded"),
    path(
        "pga/shielded/<str:reference>/",
        pga_views.shielded_case,
        name="pga_shielded_case",
    ),
]

urlpatterns = [
    path("", include((casework_patterns, "casework"))),
    path("audit/", include("permissions.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
