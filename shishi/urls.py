from django.contrib import admin
from django.urls import include, path

from shishi.core.views import healthz, sms_receipts
from shishi.orgs.views.shell import admin_login

admin.site.site_header = "实事平台 · 系统管理"
admin.site.site_title = "实事平台"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("sms/receipts/<str:token>/", sms_receipts, name="sms-receipts"),
    path("staff/appeals/", include("shishi.appeals.urls")),
    path("staff/projects/", include("shishi.projects.urls")),
    path("staff/reports/", include("shishi.reports.urls")),
    path("staff/campaign/", include("shishi.campaign.urls")),
    path("staff/cases/", include("shishi.cases.urls")),
    path("staff/contest/", include("shishi.contest.urls")),
    path("staff/sites/", include("shishi.sites.urls")),
    path("staff/outreach/", include("shishi.outreach.urls")),
    path("staff/enterprises/", include("shishi.enterprises.urls")),
    path("staff/integrations/", include("shishi.api.staff_urls")),
    path("staff/", include("shishi.orgs.urls")),
    path("api/", include("shishi.api.urls")),
    path("open311/v2/", include("shishi.api.open311.urls")),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("", include("shishi.outreach.public_urls")),
    path("sites/", include("shishi.sites.public_urls")),
    path("enterprise/", include("shishi.enterprises.public_urls")),
    path("", include("shishi.portal.urls")),
]
