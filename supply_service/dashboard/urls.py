from django.urls import path

from supply_service.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.print_report, name="print"),
    path("export.xlsx", views.excel, name="excel"),
    path("table/<slug:section>.csv", views.table_csv, name="table_csv"),
    path("items/", views.items, name="items"),
    path("open/", views.open_items, name="open_items"),
    path("publish/", views.publish, name="publish"),
]
