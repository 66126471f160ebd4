"""PGA pages under a case:

    path("<str:reference>/pga/", include("workflows.pga_urls"))

in `casework.urls.case_patterns`, so the names live in the `casework`
namespace and every view receives the case `reference`.
"""

from django.urls import path

from . import pga_views

urlpatterns = [
    path("", pga_views.dossier, name="pga_dossier"),
    path("network/", pga_views.network, name="pga_network"),
]
