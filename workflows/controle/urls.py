from django.urls import path

from . import views

# Under `cases/` (casework.urls asks the registry), in the `casework` namespace.
case_urlpatterns = [
    path("<ref:reference>/planning/", views.planning, name="controle_planning"),
    path("<ref:reference>/findings/", views.findings, name="controle_findings"),
    path("<ref:reference>/briefing/", views.briefing, name="controle_briefing"),
]

# At the top of the `casework` namespace.
urlpatterns = [
    path("controle/selection/", views.board, name="controle_board"),
    path("controle/", views.dashboard, name="controle_dashboard"),
    path("controle/follow-ups/", views.follow_ups, name="controle_follow_ups"),
    path(
        "controle/selection/<int:pk>/select/",
        views.board_select_view,
        name="controle_select",
    ),
    path(
        "controle/selection/<int:pk>/dismiss/",
        views.board_dismiss_view,
        name="controle_dismiss",
    ),
]
