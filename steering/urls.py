from django.urls import path

from . import views

app_name = "steering"

urlpatterns = [
    path("", views.indicators, name="indicators"),
    path("indicators.csv", views.indicators_csv, name="indicators_csv"),
    path("chart.svg", views.chart, name="chart"),
]
