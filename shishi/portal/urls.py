from django.urls import path

from shishi.portal import elder, projects, views, votes

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("report/otp/", views.send_otp, name="send_otp"),
    path("report/towns/", views.towns, name="towns"),
    path("report/similar/", views.similar, name="similar"),
    path("report/done/", views.reported, name="reported"),
    path("track/", views.track, name="track"),
    path("t/<str:key>", views.track_by_key, name="track_key"),
    path("track/<str:code>/", views.track, name="track_appeal"),
    path("track/<str:code>/code/", views.send_track_code, name="track_code"),
    path("track/<str:code>/evaluate/", views.evaluate, name="evaluate"),
    path("track/<str:code>/withdraw/", views.withdraw, name="withdraw"),
    path("track/<str:code>/photos/<int:pk>/", views.track_photo, name="track_photo"),
    path("stats/", views.stats, name="stats"),
    path("elder/", elder.elder_mode, name="elder_mode"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/<str:code>/", projects.project_detail, name="project"),
    path("projects/<str:code>/code/<str:purpose>/", projects.send_code, name="project_code"),
    path("projects/<str:code>/object/", projects.object_to, name="project_object"),
    path("projects/<str:code>/rate/", projects.rate, name="project_rate"),
    path("projects/<str:code>/files/<int:pk>/", projects.attachment, name="project_file"),
    path("vote/<str:code>/", votes.vote_page, name="vote"),
    path("vote/<str:code>/code/", votes.send_code, name="vote_code"),
    path("vote/<str:code>/verify/", votes.verify, name="vote_verify"),
    path("vote/<str:code>/results/", votes.results_page, name="vote_results"),
    path("vote/<str:code>/results.<str:fmt>", votes.results_download, name="vote_results_file"),
    path("vote/<str:code>/<int:nomination>/", votes.cast, name="vote_cast"),
    path("vote/<str:code>/<int:nomination>/photos/<int:pk>/", votes.photo, name="vote_photo"),
]
