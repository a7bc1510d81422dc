from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from shishi.api import views

urlpatterns = [
    path("v1/appeals/", views.AppealCreate.as_view(), name="api-appeals"),
    path("v1/appeals/<str:code>/", views.AppealDetail.as_view(), name="api-appeal"),
    path("v1/categories/", views.CategoryList.as_view(), name="api-categories"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", views.SwaggerDocs.as_view(url_name="api-schema"), name="api-docs"),
]
