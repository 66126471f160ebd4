from django.urls import path

from . import views

# Under `cases/` (casework.urls asks the registry), in the `casework` namespace.
case_urlpatterns = [
    path(
        "<ref:reference>/gebiedsverbod/",
        views.measure_page,
        name="gebiedsverbod_measure",
    ),
    path(
        "<ref:reference>/gebiedsverbod/violation/",
        views.violation_new,
        name="gebiedsverbod_violation_new",
    ),
    path(
        "<ref:reference>/gebiedsverbod/incident/",
        views.incident_new,
        name="gebiedsverbod_incident_new",
    ),
]
urlpatterns: list = []
