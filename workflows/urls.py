"""Legal-protection pages, included under a case:

    path("<str:reference>/legal-protection/", include("workflows.urls"))

in `casework.urls.case_patterns`, so the names live in the `casework`
namespace and every view receives the case `reference`.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("new/", views.legal_protection_open, name="legal_protection_open"),
    path("<int:pk>/", views.legal_protection_detail, name="legal_protection_detail"),
    path(
        "<int:pk>/steps/<slug:name>/",
        views.legal_protection_step,
        name="legal_protection_step",
    ),
]
