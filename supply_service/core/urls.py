from django.urls import path

from supply_service.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("clocks/", views.my_clocks, name="my_clocks"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
