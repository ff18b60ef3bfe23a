from django.urls import path

from supply_service.core.ids import register_converter
from supply_service.counter import views, views_desk, views_followup, views_pad, views_pay

register_converter()  # <id:pk>: ids beyond the database's range are a 404, never a query

app_name = "counter"

urlpatterns = [
    path("desk/", views_desk.desk, name="desk"),
    path("desk/<str:number>/finish/", views_desk.desk_finish, name="desk_finish"),
    path("take/", views.take, name="take"),
    path("take/<slug:code>/", views.take, name="take_at"),
    path("slip/<str:token>/", views.slip, name="slip"),
    path("board/<slug:code>/", views.board, name="board"),
    path("board/<slug:code>/feed/", views.board_feed, name="board_feed"),
    path("windows/", views.windows, name="windows"),
    path("windows/<id:pk>/", views.window, name="window"),
    path("windows/<id:pk>/open/", views.window_open, name="window_open"),
    path("windows/<id:pk>/close/", views.window_close, name="window_close"),
    path("windows/<id:pk>/green-channel/", views.window_green, name="window_green"),
    path("windows/<id:pk>/call/", views.call_next, name="call_next"),
    path("windows/<id:pk>/numbers/<id:tpk>/recall/", views.recall, name="recall"),
    path("windows/<id:pk>/numbers/<id:tpk>/no-show/", views.no_show, name="no_show"),
    path("windows/<id:pk>/numbers/<id:tpk>/serve/", views.serve, name="serve"),
    path("windows/<id:pk>/numbers/<id:tpk>/finish/", views.finish, name="finish"),
    path("windows/<id:pk>/numbers/<id:tpk>/transfer/", views.transfer, name="transfer"),
    path("windows/<id:pk>/numbers/<id:tpk>/pay/", views_pay.pay, name="pay"),
    path("receipts/<str:number>/", views_pay.receipt, name="receipt"),
    path("receipts/<str:number>/reverse/", views_pay.receipt_reverse, name="receipt_reverse"),
    path("cash-up/", views_pay.cashup, name="cashup"),
    path("pad/<str:key>/", views_pad.pad, name="pad"),
    path("pad/<str:key>/state/", views_pad.pad_state, name="pad_state"),
    path("pad/<str:key>/rate/", views_pad.pad_rate, name="pad_rate"),
    path("pad/<str:key>/photo/", views_pad.pad_photo, name="pad_photo"),
    path("follow-ups/<item_number:number>/", views_followup.followup_detail, name="followup"),
    path("follow-ups/<item_number:number>/do/<slug:step>/", views_followup.followup_step, name="followup_step"),
]
