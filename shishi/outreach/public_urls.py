"""The public pages of the outreach module, at the site's root (no namespace: the portal's
pages link to them by these names)."""

from django.urls import path

from shishi.outreach.views import public

urlpatterns = [
    path("lectures/", public.lectures, name="public_lectures"),
    path("screen/today/", public.today_screen, name="today_screen"),
    path("screen/today.json", public.today_feed, name="today_feed"),
    path("screen/today/images/<int:pk>/", public.today_image, name="today_image"),
]
