from django.urls import path

from . import views

app_name = "hotspots"

urlpatterns: list = [
    path("", views.hotspot_list, name="list"),
    path("address/<int:pk>/", views.address, name="address"),
    path("areas/", views.areas, name="areas"),
    path("map/", views.map_page, name="map"),
    path("areas/import/", views.area_import, name="area_import"),
    path(
        "areas/import/confirm/", views.area_import_confirm, name="area_import_confirm"
    ),
    path("registers/import/", views.register_import, name="register_import"),
    path(
        "registers/import/confirm/",
        views.register_import_confirm,
        name="register_import_confirm",
    ),
]
