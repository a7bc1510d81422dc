from django.urls import path

from shishi.campaign.views import directives as views
from shishi.campaign.views import guidance

app_name = "campaign"

urlpatterns = [
    path("", views.directive_list, name="directives"),
    path("new/", views.directive_new, name="new"),
    path("new/targets/", views.target_count, name="target_count"),
    path("<int:pk>/", views.directive_detail, name="directive"),
    path("<int:pk>/close/", views.directive_close, name="close"),
    path("<int:pk>/files/<int:file>/", views.directive_file, name="directive_file"),
    path("assignments/", views.my_assignments, name="mine"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/report/", views.assignment_report, name="report"),
    path("assignments/<int:pk>/approve/", views.assignment_approve, name="approve"),
    path("assignments/<int:pk>/return/", views.assignment_return, name="return"),
    path("assignments/<int:pk>/files/<int:file>/", views.evidence_file, name="evidence"),
    path("study/", views.study_list, name="study"),
    path("study/new/", views.study_new, name="study_new"),
    path("study/three/", views.three_ones, name="three"),
    path("study/<int:pk>/", views.study_detail, name="study_detail"),
    path("study/<int:pk>/remove/", views.study_remove, name="study_remove"),
    path("study/<int:pk>/files/<int:file>/", views.study_file, name="study_file"),
    path("guidance/", guidance.guidance_home, name="guidance"),
    path("guidance/groups/", guidance.group_list, name="groups"),
    path("guidance/groups/new/", guidance.group_new, name="group_new"),
    path("guidance/groups/<int:pk>/edit/", guidance.group_edit, name="group_edit"),
    path("guidance/rounds/new/", guidance.round_new, name="round_new"),
    path("guidance/visits/", guidance.visit_list, name="visits"),
    path("guidance/visits/new/", guidance.visit_new, name="visit_new"),
    path("guidance/visits/<int:pk>/", guidance.visit_detail, name="visit"),
    path("rectifications/", guidance.rectification_list, name="rectifications"),
    path("rectifications/new/", guidance.rectification_new, name="rectification_new"),
    path("rectifications/<int:pk>/", guidance.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/progress/",
        guidance.rectification_progress,
        name="rectification_progress",
    ),
    path(
        "rectifications/<int:pk>/close/", guidance.rectification_close, name="rectification_close"
    ),
    path(
        "rectifications/<int:pk>/return/",
        guidance.rectification_return,
        name="rectification_return",
    ),
    path(
        "rectifications/<int:pk>/files/<int:file>/",
        guidance.rectification_file,
        name="rectification_file",
    ),
]
