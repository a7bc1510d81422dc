from django.urls import path

from shishi.outreach.views import lectures, posts, today, volunteers

app_name = "outreach"

urlpatterns = [
    path("", lectures.lecture_list, name="lectures"),
    path("lectures/new/", lectures.lecture_new, name="lecture_new"),
    path("lectures/<int:pk>/", lectures.lecture_detail, name="lecture"),
    path("lectures/<int:pk>/edit/", lectures.lecture_edit, name="lecture_edit"),
    path("lectures/<int:pk>/remove/", lectures.lecture_remove, name="lecture_remove"),
    path("lectures/<int:pk>/photos/<int:file>/", lectures.lecture_photo, name="lecture_photo"),
    path("teams/", lectures.team_list, name="teams"),
    path("teams/new/", lectures.team_new, name="team_new"),
    path("teams/<int:pk>/", lectures.team_detail, name="team"),
    path("teams/<int:pk>/edit/", lectures.team_edit, name="team_edit"),
    path("volunteers/", volunteers.volunteer_list, name="volunteers"),
    path("volunteers/new/", volunteers.volunteer_team_new, name="volunteer_team_new"),
    path("volunteers/activities/", volunteers.activity_list, name="activities"),
    path(
        "volunteers/activities/<int:pk>/remove/",
        volunteers.activity_remove,
        name="activity_remove",
    ),
    path("volunteers/<int:pk>/", volunteers.volunteer_team_detail, name="volunteer_team"),
    path("volunteers/<int:pk>/edit/", volunteers.volunteer_team_edit, name="volunteer_team_edit"),
    path("posts/", posts.post_list, name="posts"),
    path("posts/new/", posts.post_new, name="post_new"),
    path("posts/<int:pk>/", posts.post_detail, name="post"),
    path("posts/<int:pk>/edit/", posts.post_edit, name="post_edit"),
    path("posts/records/<int:pk>/remove/", posts.service_remove, name="service_remove"),
    path("today/", today.entry_list, name="today"),
    path("today/new/", today.entry_new, name="today_new"),
    path("today/import/", today.entry_import, name="today_import"),
    path("today/template/", today.entry_template, name="today_template"),
    path("today/<int:pk>/edit/", today.entry_edit, name="today_edit"),
    path("today/<int:pk>/remove/", today.entry_remove, name="today_remove"),
]
