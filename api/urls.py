"""The partner API under /api/ (docs/api.md): the token endpoint, the
OpenAPI schema and its documentation page, and version 1 of the endpoints.
A new version gets its own `v2/` patterns beside these."""

from django.urls import path, re_path

from drf_spectacular.views import SpectacularAPIView
from oauth2_provider.views import TokenView

from . import views
from .problems import not_found

app_name = "api"

v1 = [
    path("organisations/", views.OrganisationList.as_view(), name="organisations"),
    path("signals/", views.SignalList.as_view(), name="signals"),
    path(
        "signals/<str:reference>/", views.SignalDetail.as_view(), name="signal_detail"
    ),
    path(
        "signals/<str:reference>/attachments/<int:pk>/",
        views.SignalAttachmentDownload.as_view(),
        name="signal_attachment",
    ),
    path("cases/", views.CaseList.as_view(), name="cases"),
    path("cases/<str:reference>/", views.CaseDetail.as_view(), name="case_detail"),
    path(
        "cases/<str:reference>/deadlines/",
        views.CaseDeadlines.as_view(),
        name="case_deadlines",
    ),
    path(
        "cases/<str:reference>/documents/",
        views.CaseDocuments.as_view(),
        name="case_documents",
    ),
    path(
        "cases/<str:reference>/documents/<int:pk>/",
        views.CaseDocument.as_view(),
        name="case_document",
    ),
    path(
        "cases/<str:reference>/findings/",
        views.CaseFindings.as_view(),
        name="case_findings",
    ),
    path(
        "cases/<str:reference>/slots/<int:pk>/confirm/",
        views.SlotConfirm.as_view(),
        name="slot_confirm",
    ),
    path("tasks/", views.TaskList.as_view(), name="tasks"),
]

urlpatterns = [
    path("oauth/token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocs.as_view(), name="docs"),
    *[path("v1/" + str(p.pattern), p.callback, name=p.name) for p in v1],
    re_path(r"^.*$", not_found, name="not_found"),
]
