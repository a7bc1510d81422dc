from django.urls import path

from shishi.contest.views import dispatch, results, setup

app_name = "contest"

urlpatterns = [
    path("", setup.contest_list, name="contests"),
    path("new/", setup.contest_new, name="new"),
    path("<int:pk>/", setup.contest_detail, name="contest"),
    path("<int:pk>/edit/", setup.contest_edit, name="edit"),
    path("<int:pk>/dimensions/", setup.dimension_save, name="dimension_new"),
    path("<int:pk>/dimensions/<int:dimension>/", setup.dimension_save, name="dimension_edit"),
    path(
        "<int:pk>/dimensions/<int:dimension>/remove/",
        setup.dimension_remove,
        name="dimension_remove",
    ),
    path("<int:pk>/indicators/", setup.indicator_save, name="indicator_new"),
    path("<int:pk>/indicators/<int:indicator>/", setup.indicator_save, name="indicator_edit"),
    path(
        "<int:pk>/indicators/<int:indicator>/remove/",
        setup.indicator_remove,
        name="indicator_remove",
    ),
    path("<int:pk>/weights/", setup.weights_save, name="weights"),
    path("<int:pk>/participants/", setup.participants_add, name="participants"),
    path(
        "<int:pk>/participants/<int:participant>/remove/",
        setup.participant_remove,
        name="participant_remove",
    ),
    path("<int:pk>/open/", setup.contest_open, name="open"),
    path("<int:pk>/close/", setup.contest_close, name="close"),
    path("<int:pk>/rounds/", dispatch.round_open, name="round_open"),
    path("<int:pk>/months/<int:month>/", dispatch.board, name="board"),
    path("<int:pk>/ranking/", results.ranking, name="ranking"),
    path("<int:pk>/notes/", results.notes, name="notes"),
    path("<int:pk>/notes/write/", results.note_write, name="note_write"),
    path("<int:pk>/year/", results.year, name="year"),
    path("<int:pk>/interviews/", results.interview_record, name="interview"),
    path(
        "<int:pk>/interviews/<int:interview>/points/<int:point>/rectify/",
        results.point_rectify,
        name="rectify",
    ),
    path("submissions/<int:pk>/", dispatch.submission_detail, name="submission"),
    path("submissions/<int:pk>/submit/", dispatch.submission_submit, name="submit"),
    path("submissions/<int:pk>/accept/", dispatch.submission_accept, name="accept"),
    path("submissions/<int:pk>/return/", dispatch.submission_return, name="return"),
    path("submissions/<int:pk>/extension/", dispatch.extension_request, name="extension"),
    path(
        "submissions/<int:pk>/extension/<int:extension>/",
        dispatch.extension_decide,
        name="extension_decide",
    ),
    path("submissions/<int:pk>/files/<int:file>/", dispatch.submission_file, name="file"),
]
