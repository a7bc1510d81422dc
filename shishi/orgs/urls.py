from django.urls import path

from shishi.orgs.views import people, shell, sms, system, twofactor, units

app_name = "staff"

urlpatterns = [
    path("", shell.home, name="home"),
    path("login/", shell.LoginView.as_view(), name="login"),
    path("login/verify/", twofactor.login_verify, name="login_verify"),
    path("login/enrol/", twofactor.login_enrol, name="login_enrol"),
    path("logout/", shell.logout, name="logout"),
    path("switch/", shell.switch_membership, name="switch"),
    path("units/", units.unit_list, name="units"),
    path("units/new/", units.unit_new, name="unit_new"),
    path("units/import/", units.unit_import, name="unit_import"),
    path("units/export.csv", units.unit_export, name="unit_export"),
    path("units/<int:pk>/", units.unit_detail, name="unit"),
    path("units/<int:pk>/edit/", units.unit_edit, name="unit_edit"),
    path("units/<int:pk>/active/", units.unit_set_active, name="unit_set_active"),
    path("people/", people.person_list, name="people"),
    path("people/new/", people.person_new, name="person_new"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/active/", people.person_set_active, name="person_set_active"),
    path("people/<int:pk>/password/", people.person_password, name="person_password"),
    path("people/<int:pk>/unlock/", people.person_unlock, name="person_unlock"),
    path("people/<int:pk>/totp/reset/", twofactor.person_totp_reset, name="person_totp_reset"),
    path("people/<int:pk>/grant/", people.person_grant, name="person_grant"),
    path("memberships/<int:pk>/revoke/", people.membership_revoke, name="membership_revoke"),
    path("calendar/", system.calendar, name="calendar"),
    path("calendar/override/", system.calendar_override, name="calendar_override"),
    path(
        "calendar/override/<int:pk>/delete/",
        system.calendar_override_delete,
        name="calendar_override_delete",
    ),
    path("calendar/<int:year>/confirm/", system.calendar_confirm, name="calendar_confirm"),
    path("audit/", system.audit_log, name="audit"),
    path("audit/export.csv", system.audit_export, name="audit_export"),
    path("sms/templates/", sms.sms_templates, name="sms_templates"),
    path("sms/failures/", sms.sms_failures, name="sms_failures"),
    path("sms/failures/<int:pk>/resend/", sms.sms_resend, name="sms_resend"),
]
