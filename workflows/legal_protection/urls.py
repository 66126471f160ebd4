from django.urls import include, path

from workflows.legal_protection import views

_case_pages = [
    path("new/", views.legal_protection_open, name="legal_protection_open"),
    path("<int:pk>/", views.legal_protection_detail, name="legal_protection_detail"),
    path(
        "<int:pk>/steps/<slug:name>/",
        views.legal_protection_step,
        name="legal_protection_step",
    ),
]

# Under `cases/` (casework.urls asks the registry), in the `casework`
# namespace: every view receives the case `reference`.
case_urlpatterns = [path("<ref:reference>/legal-protection/", include(_case_pages))]
