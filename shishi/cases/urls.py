from django.urls import path

from shishi.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.selection_list, name="selections"),
    path("new/", views.selection_new, name="new"),
    path("<int:pk>/", views.selection_detail, name="selection"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("<int:pk>/judges/", views.add_judge, name="add_judge"),
    path("<int:pk>/bursts/", views.bursts, name="bursts"),
    path("<int:pk>/void/", views.void, name="void"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/results.<str:fmt>", views.results_file, name="results_file"),
    path("<int:pk>/nominations/<int:nomination>/", views.nomination_detail, name="nomination"),
    path("<int:pk>/nominations/<int:nomination>/decide/", views.decide, name="decide"),
    path("<int:pk>/nominations/<int:nomination>/score/", views.score, name="score"),
    path(
        "<int:pk>/nominations/<int:nomination>/photos/<int:photo>/",
        views.nomination_photo,
        name="photo",
    ),
]
