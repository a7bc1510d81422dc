"""The peer's URLs: django-helpdesk at the site root (its sign-in page is /login/), admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
