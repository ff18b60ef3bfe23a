from django.urls import path

from supply_service.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list_view, name="list"),
    path("new/", views.complaint_new, name="new"),
    path("<item_number:number>/", views.complaint_detail, name="detail"),
    path("<item_number:number>/do/<slug:action>/", views.complaint_do, name="do"),
    path("<item_number:number>/identity/", views.complaint_identity, name="identity"),
    path("<item_number:number>/letter/", views.complaint_letter, name="letter"),
]
