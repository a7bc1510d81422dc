from django.urls import path

from shishi.campaign import views

app_name = "campaign"

urlpatterns = [
    path("", views.directive_list, name="directives"),
    path("new/", views.directive_new, name="new"),
    path("new/targets/", views.target_count, name="target_count"),
    path("<int:pk>/", views.directive_detail, name="directive"),
    path("<int:pk>/close/", views.directive_close, name="close"),
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
]
