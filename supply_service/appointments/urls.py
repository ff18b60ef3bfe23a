"""Staff appointment pages, mounted at /appointments/ (app_name "appointments")."""

from django.urls import path

from supply_service.appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.day_plan, name="plan"),
    path("book/", views.book, name="book"),
    path("waiting/", views.waiting_list, name="waiting"),
    path("route/", views.route_sheet, name="route"),
    path("<item_number:number>/", views.detail, name="detail"),
    path("<item_number:number>/do/<slug:action>/", views.step, name="step"),
]
