from django.urls import path

from supply_service.core.ids import register_converter
from supply_service.customers import views

register_converter()  # <id:pk>: ids beyond the database's range are a 404, never a query

app_name = "customers"

urlpatterns = [
    path("", views.search, name="search"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/pin/", views.reset_pin, name="reset_pin"),
    path("<id:pk>/disconnect/", views.disconnect, name="disconnect"),
    path("<id:pk>/reconnect/", views.reconnect, name="reconnect"),
]
