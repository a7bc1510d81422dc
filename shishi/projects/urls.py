from django.urls import path

from shishi.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_new, name="new"),
    path("ratings/", views.ratings, name="ratings"),
    path("ranking/", views.ranking, name="ranking"),
    path("ratings/<int:pk>/", views.rating_moderate, name="rating_moderate"),
    path("ledger/template.xlsx", views.ledger_template, name="template"),
    path("ledger/export.xlsx", views.ledger_export, name="export"),
    path("ledger/import/", views.ledger_import, name="import"),
    path("ledger/errors/<str:token>.xlsx", views.ledger_errors, name="import_errors"),
    path("<str:code>/", views.project_detail, name="detail"),
    path("<str:code>/edit/", views.project_edit, name="edit"),
    path("<str:code>/sms/", views.project_sms, name="sms_deliveries"),
    path("<str:code>/step/<str:step>/", views.transition, name="step"),
    path("<str:code>/decide/<str:step>/", views.decide, name="decide"),
    path("<str:code>/milestones/", views.milestone_add, name="milestone_add"),
    path("<str:code>/milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("<str:code>/milestones/<int:pk>/remove/", views.milestone_remove, name="milestone_remove"),
    path("<str:code>/reports/<int:slot>/", views.report_file, name="report_file"),
    path("<str:code>/reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("<str:code>/complete/", views.complete, name="complete"),
    path("<str:code>/files/<int:pk>/", views.attachment, name="attachment"),
    path("<str:code>/status/", views.status_request, name="status_request"),
    path("<str:code>/objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
]
