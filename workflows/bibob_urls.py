"""Bibob dossier pages, included under a case:

    path("<str:reference>/bibob/", include("workflows.bibob_urls"))

in `casework.urls.case_patterns`, so the names live in the `casework`
namespace and every view receives the case `reference`.
"""

from django.urls import path

from . import bibob_views as views

urlpatterns = [
    path("", views.dossier, name="bibob_dossier"),
    path("sources/add/", views.source_add, name="bibob_source_add"),
    path("conclusion/", views.conclusion_record, name="bibob_conclusion"),
    path("term/extend/", views.term_extend, name="bibob_term_extend"),
    path("share/", views.share, name="bibob_share"),
    path("letters/new/", views.letter_new, name="bibob_letter_new"),
    path("permit-handler/", views.permit_handler_add, name="bibob_permit_handler"),
    # The permit handler's page: outside the dossier's readers.
    path("outcome/", views.outcome, name="bibob_outcome"),
]
