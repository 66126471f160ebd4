from django.urls import path

from casework import converters  # noqa: F401 - the "ref" converter

from . import views

app_name = "lookups"

urlpatterns = [
    path("cases/<ref:reference>/address/", views.case_address, name="case_address"),
    path("cases/<ref:reference>/company/", views.case_company, name="case_company"),
    path("cases/<ref:reference>/person/", views.case_person, name="case_person"),
]
