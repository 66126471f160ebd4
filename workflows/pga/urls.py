from django.urls import include, path

from . import views

_case_pages = [
    path("", views.dossier, name="pga_dossier"),
    path("network/", views.network, name="pga_network"),
    path("participants/", views.participant_add, name="pga_participant_add"),
]

# Under `cases/` (casework.urls asks the registry), in the `casework`
# namespace: every view receives the case `reference`.
case_urlpatterns = [path("<ref:reference>/pga/", include(_case_pages))]

# At the top of the `casework` namespace.
urlpatterns = [
    path("pga/referral/new/", views.referral_new, name="pga_referral_new"),
    path("pga/top-x/", views.top_x, name="pga_top_x"),
    path("pga/shielded/", views.shielded, name="pga_shielded"),
    path(
        "pga/shielded/<ref:reference>/",
        views.shielded_case,
        name="pga_shielded_case",
    ),
]
