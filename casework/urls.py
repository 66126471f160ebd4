from django.contrib import admin
from django.urls import include, path

from . import views
from .registry import registry

case_patterns = [
    path("", views.case_list, name="case_list"),
    path("<str:reference>/", views.case_detail, name="case_detail"),
    path("<str:reference>/transition/", views.case_transition, name="case_transition"),
    path("<str:reference>/step/<slug:name>/", views.case_step, name="case_step"),
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
    # The pages of the case types under a case (casework.registry).
    *registry.case_urls,
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
    # The case types' own pages (casework.registry).
    *registry.urls,
]

urlpatterns = [
    path("", include((casework_patterns, "casework"))),
    path("audit/", include("permissions.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
