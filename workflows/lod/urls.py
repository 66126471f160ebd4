from django.urls import path

from . import views

# Under `cases/` (casework.urls asks the registry), in the `casework` namespace.
case_urlpatterns = [
    path("<ref:reference>/assessment/", views.lod_assessment, name="lod_assessment"),
]
urlpatterns: list = []
