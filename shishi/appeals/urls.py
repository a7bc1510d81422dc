from django.urls import path

from shishi.appeals import views

app_name = "appeals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("similar/", views.similar, name="similar"),
    path("callers/", views.caller_lookup, name="caller_lookup"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/decide/", views.decide, name="decide"),
    path("ranking/", views.ranking, name="ranking"),
    path("export.<str:fmt>", views.export, name="export"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/dispatch/", views.dispatch, name="dispatch"),
    path("<str:code>/sign/", views.sign, name="sign"),
    path("<str:code>/co-sign/", views.co_sign, name="co_sign"),
    path("<str:code>/return/", views.give_back, name="return"),
    path("<str:code>/extension/", views.extension, name="extension"),
    path("<str:code>/invalid/", views.invalid, name="invalid"),
    path("<str:code>/reply/", views.reply, name="reply"),
    path("<str:code>/approve-reply/", views.approve_reply, name="approve_reply"),
    path("<str:code>/callback/", views.callback, name="callback"),
    path("<str:code>/merge/", views.merge, name="merge"),
    path("<str:code>/reclassify/", views.reclassify, name="reclassify"),
    path("<str:code>/similar/", views.similar_to, name="similar_to"),
    path("<str:code>/photos/<int:pk>/", views.photo, name="photo"),
    path("<str:code>/reveal-phone/", views.reveal_phone, name="reveal_phone"),
    path("<str:code>/callers/", views.caller_history, name="caller_history"),
    path("<str:code>/sms/", views.sms_deliveries, name="sms_deliveries"),
    path("<str:code>/urge/", views.urge, name="urge"),
    path("<str:code>/instruct/", views.instruct, name="instruct"),
    path("<str:code>/interview/", views.interview, name="interview"),
]
