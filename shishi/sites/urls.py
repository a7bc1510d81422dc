from django.urls import path

from shishi.sites.views import staff

app_name = "sites"

urlpatterns = [
    path("", staff.site_list, name="sites"),
    path("new/", staff.site_new, name="new"),
    path("<int:pk>/", staff.site_detail, name="site"),
    path("<int:pk>/edit/", staff.site_edit, name="edit"),
    path("<int:pk>/photos/", staff.photos_add, name="photos_add"),
    path("<int:pk>/photos/<int:photo>/remove/", staff.photo_remove, name="photo_remove"),
    path("<int:pk>/closures/", staff.closure_add, name="closure_add"),
    path("<int:pk>/closures/<int:closure>/remove/", staff.closure_remove, name="closure_remove"),
    path("<int:pk>/book/", staff.booking_new, name="book"),
    path("routes/<int:pk>/book/", staff.route_book, name="route_book"),
    path("bookings/", staff.booking_list, name="bookings"),
    path("bookings/<int:pk>/", staff.booking_detail, name="booking"),
    path("bookings/<int:pk>/confirm/", staff.booking_confirm, name="confirm"),
    path("bookings/<int:pk>/reject/", staff.booking_reject, name="reject"),
    path("bookings/<int:pk>/cancel/", staff.booking_cancel, name="cancel"),
    path("bookings/<int:pk>/reschedule/", staff.booking_reschedule, name="reschedule"),
    path("checkin/", staff.check_in, name="checkin"),
]
