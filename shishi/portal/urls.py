from django.urls import path

from shishi.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("report/otp/", views.send_otp, name="send_otp"),
    path("report/towns/", views.towns, name="towns"),
    path("report/similar/", views.similar, name="similar"),
    path("report/done/", views.reported, name="reported"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track, name="track_appeal"),
    path("track/<str:code>/evaluate/", views.evaluate, name="evaluate"),
    path("track/<str:code>/withdraw/", views.withdraw, name="withdraw"),
]
