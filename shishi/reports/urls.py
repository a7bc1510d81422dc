from django.urls import path

from shishi.reports import project_urls
from shishi.reports.views import dashboard, documents

app_name = "reports"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("documents/", documents.documents, name="documents"),
    path("documents/generate/<str:kind>/", documents.generate, name="generate"),
    path("documents/<int:pk>.<str:part>", documents.download, name="download"),
    path("overview/", documents.overview_page, name="overview"),
]
urlpatterns += project_urls.urlpatterns
