"""The project report's addresses, added to `reports.urls` (mounted at /staff/reports/)."""

from django.urls import path

from shishi.reports.views.project_report import report, report_docx

urlpatterns = [
    path("projects/", report, name="project_report"),
    path("projects/report.docx", report_docx, name="project_report_docx"),
]
