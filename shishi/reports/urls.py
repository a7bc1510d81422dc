from django.urls import path

from shishi.reports.views import dashboard

app_name = "reports"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
]
