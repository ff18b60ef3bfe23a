from django.urls import path

from supply_service.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.figures, name="figures"),
    path("points/", views.points, name="points"),
    path("import/", views.import_file, name="import"),
    path("import/<int:job_id>/", views.import_job, name="import_job"),
]
