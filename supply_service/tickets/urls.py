from django.urls import path, register_converter

from supply_service.tickets import views

app_name = "tickets"


class TicketNumberConverter:
    """PREFIX-YYYYMMDD-NNNN (any case); anything else is not a ticket page (404 by the resolver)."""

    regex = r"[A-Za-z]{2,8}-[0-9]{8}-[0-9]{1,8}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(TicketNumberConverter, "tickets_number")

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("new/<slug:kind>/", views.ticket_new_kind, name="create"),
    path("<tickets_number:number>/", views.ticket_detail, name="detail"),
    path("<tickets_number:number>/print/", views.ticket_print, name="print"),
    path("<tickets_number:number>/do/<slug:action>/", views.ticket_do, name="do"),
    path("<tickets_number:number>/callback/", views.ticket_callback, name="callback"),
    path("<tickets_number:number>/close-without-callback/", views.ticket_close_without_callback,
         name="close_without_callback"),
    path("<tickets_number:number>/hand-over/", views.ticket_hand_over, name="hand_over"),
    path("<tickets_number:number>/chase/", views.ticket_chase, name="chase"),
    path("<tickets_number:number>/pause/", views.ticket_pause, name="pause"),
    path("<tickets_number:number>/resume/", views.ticket_resume, name="resume"),
]
