from django.urls import path

from shishi.enterprises.views import benefits, registry, visits

app_name = "enterprises"

urlpatterns = [
    path("", registry.enterprise_list, name="list"),
    path("new/", registry.enterprise_new, name="new"),
    path("template/", registry.template, name="template"),
    path("export/", registry.export, name="export"),
    path("import/", registry.import_enterprises, name="import"),
    path("import/errors/<str:token>/", registry.import_errors, name="import_errors"),
    path("<int:pk>/", registry.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", registry.enterprise_edit, name="edit"),
    path("<int:pk>/pair/", registry.pair, name="pair"),
    path("<int:pk>/problems/new/", visits.raise_for_enterprise, name="problem_new"),
    path("<int:pk>/benefits/new/", benefits.benefit_new, name="benefit_new"),
    path("pairings/<int:pk>/end/", registry.end_pairing, name="end_pairing"),
    path("pairings/<int:pairing>/visit/", visits.visit_new, name="visit_new"),
    path("mine/", visits.mine, name="mine"),
    path("visits/", visits.visit_list, name="visits"),
    path("visits/frequency/", visits.frequency, name="frequency"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit"),
    path("visits/<int:pk>/raise/", visits.raise_from_visit, name="raise"),
    path("problems/", visits.problem_list, name="problems"),
    path("benefits/", benefits.benefit_list, name="benefits"),
    path("benefits/template/", benefits.benefit_template, name="benefit_template"),
    path("benefits/import/", benefits.import_benefits, name="benefit_import"),
    path("benefits/<int:pk>/", benefits.benefit_detail, name="benefit"),
    path("benefits/<int:pk>/files/<int:file>/", benefits.benefit_file, name="benefit_file"),
]
