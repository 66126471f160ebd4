from django.urls import include, path

from workflows.bibob import views

_case_pages = [
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

# Under `cases/` (casework.urls asks the registry), in the `casework`
# namespace: every view receives the case `reference`.
case_urlpatterns = [path("<ref:reference>/bibob/", include(_case_pages))]

# At the top of the `casework` namespace.
urlpatterns = [
    path("bibob/outcomes/", views.outcomes, name="bibob_outcomes"),
]
