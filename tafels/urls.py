from django.urls import path

from . import views

app_name = "tafels"

urlpatterns = [
    path("", views.table_list, name="table_list"),
    path("<int:pk>/", views.table_detail, name="table_detail"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes, name="minutes"),
]
