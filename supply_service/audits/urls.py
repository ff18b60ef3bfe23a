"""Audit pages, mounted at /audits/ (app_name "audits"). `item_number` is the kernel's converter (core.web)."""

from django.urls import path

from supply_service.audits import views, views_actions, views_reports

app_name = "audits"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("new/", views.audit_new, name="new"),
    path("verdict/", views_reports.verdict, name="verdict"),
    path("requirements/", views_reports.requirements, name="requirements"),
    path("records/", views_reports.records, name="records"),
    path("surveys/import/", views_reports.survey_import, name="survey_import"),
    path("evidence/<int:pk>/", views.evidence_image, name="evidence"),
    path("actions/<item_number:number>/", views_actions.action_detail, name="action_detail"),
    path("actions/<item_number:number>/do/<slug:step>/", views_actions.action_step, name="action_step"),
    path("<item_number:number>/", views.audit_detail, name="detail"),
    path("<item_number:number>/conduct/", views.audit_conduct, name="conduct"),
    path("<item_number:number>/items/<int:item_id>/", views.audit_answer_view, name="answer"),
    path("<item_number:number>/do/<slug:action>/", views.audit_step, name="step"),
    path("<item_number:number>/notice/", views.audit_notice, name="notice"),
]
