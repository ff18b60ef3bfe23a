from django.urls import path

from supply_service.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pin/", views.reset_pin, name="reset_pin"),
]
