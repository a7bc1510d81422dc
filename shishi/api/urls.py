from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from shishi.api.schema import SwaggerDocs
from shishi.api.views import appeals, projects, reference

v1 = [
    path("appeals/", appeals.AppealCollection.as_view(), name="api-appeals"),
    path("appeals/<str:code>/", appeals.AppealDetail.as_view(), name="api-appeal"),
    path("appeals/<str:code>/dispatch/", appeals.Dispatch.as_view(), name="api-appeal-dispatch"),
    path("appeals/<str:code>/sign/", appeals.Sign.as_view(), name="api-appeal-sign"),
    path("appeals/<str:code>/return/", appeals.Return.as_view(), name="api-appeal-return"),
    path("appeals/<str:code>/reply/", appeals.Reply.as_view(), name="api-appeal-reply"),
    path("appeals/<str:code>/callback/", appeals.Callback.as_view(), name="api-appeal-callback"),
    path("projects/", projects.ProjectList.as_view(), name="api-projects"),
    path("projects/<str:code>/", projects.ProjectDetail.as_view(), name="api-project"),
    path(
        "projects/<str:code>/slots/<int:slot>/report/",
        projects.ProjectReport.as_view(),
        name="api-project-report",
    ),
    path("units/", reference.UnitList.as_view(), name="api-units"),
    path("categories/", reference.CategoryList.as_view(), name="api-categories"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SwaggerDocs.as_view(url_name="api-schema"), name="api-docs"),
]
