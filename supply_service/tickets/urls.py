from django.urls import path

app_name = "tickets"

urlpatterns: list = []
