from django.urls import path

from supply_service.kiosk import views, views_appointments

app_name = "kiosk"

urlpatterns = [
    path("", views.home, name="home"),
    path("office/<slug:code>/", views.set_office, name="office"),
    path("verify/", views.verify, name="verify"),
    path("account/", views.account, name="account"),
    path("finish/", views.finish, name="finish"),
    path("tariffs/", views.tariffs, name="tariffs"),
    path("procedures/", views.procedures, name="procedures"),
    path("payment-methods/", views.payment_methods, name="payment_methods"),
    path("energy-saving/", views.tips, name="tips"),
    path("outages/", views.outages, name="outages"),
    path("appointments/", views_appointments.book, name="appointments"),
]
