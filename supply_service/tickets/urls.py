from django.urls import path

from supply_service.tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("new/<slug:kind>/", views.ticket_new_kind, name="create"),
    path("<item_number:number>/", views.ticket_detail, name="detail"),
    path("<item_number:number>/print/", views.ticket_print, name="print"),
    path("<item_number:number>/do/<slug:action>/", views.ticket_do, name="do"),
    path("<item_number:number>/callback/", views.ticket_callback, name="callback"),
    path("<item_number:number>/close-without-callback/", views.ticket_close_without_callback,
         name="close_without_callback"),
    path("<item_number:number>/hand-over/", views.ticket_hand_over, name="hand_over"),
    path("<item_number:number>/chase/", views.ticket_chase, name="chase"),
    path("<item_number:number>/pause/", views.ticket_pause, name="pause"),
    path("<item_number:number>/resume/", views.ticket_resume, name="resume"),
]
