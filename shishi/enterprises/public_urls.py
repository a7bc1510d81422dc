"""The enterprise's own public page (under /enterprise/)."""

from django.urls import path

from shishi.enterprises.views import public

app_name = "enterprises_public"

urlpatterns = [
    path("report/", public.report, name="report"),
    path("report/code/", public.send_code, name="send_code"),
    path("report/done/", public.reported, name="reported"),
]
