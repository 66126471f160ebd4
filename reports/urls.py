from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.request_report, name="request"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path("jobs/<int:pk>/repeat/", views.job_repeat, name="job_repeat"),
    path("feedback/", views.feedback_page, name="feedback"),
    path("feedback/csv/", views.feedback_csv, name="feedback_csv"),
]
