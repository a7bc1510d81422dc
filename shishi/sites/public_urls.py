from django.urls import path

from shishi.sites.views import public

app_name = "sites_public"

urlpatterns = [
    path("", public.index, name="index"),
    path("<int:pk>/", public.site_page, name="site"),
    path("<int:pk>/book/", public.book, name="book"),
    path("<int:pk>/photos/<int:photo>/", public.photo, name="photo"),
    path("code/", public.send_code, name="code"),
    path("routes/", public.routes, name="routes"),
    path("routes/<int:pk>/", public.route_page, name="route"),
    path("tickets/", public.my_bookings, name="mine"),
    path("tickets/<str:code>/", public.ticket, name="ticket"),
    path("tickets/<str:code>/cancel/", public.cancel, name="cancel"),
    path("tickets/<str:code>/reschedule/", public.reschedule, name="reschedule"),
]
