from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "shishi.sites"
    label = "sites"
    verbose_name = "红色教育"

    def ready(self) -> None:
        from shishi.core import demo
        from shishi.core.figures import register as register_figures
        from shishi.orgs.navigation import register, register_audit_source, register_review_source
        from shishi.sites import tasks  # noqa: F401  (periodic tasks)
        from shishi.sites.access import Perm, audit_events, site_audit_events
        from shishi.sites.demo import demo_sites
        from shishi.sites.figures import SOURCE
        from shishi.sites.panels import bookings_to_confirm

        register(
            section="红色教育",
            label="参访点",
            url_name="sites:sites",
            perm=Perm.VIEW,
            icon="geo-alt",
        )
        register(
            section="红色教育",
            label="参访预约",
            url_name="sites:bookings",
            perm=Perm.VIEW,
            icon="calendar-check",
        )
        register(
            section="红色教育",
            label="待确认预约",
            url_name="sites:bookings",
            perm=Perm.MANAGE,
            icon="hourglass-split",
            query="status=pending",
        )
        register(
            section="红色教育",
            label="扫码签到",
            url_name="sites:checkin",
            perm=Perm.MANAGE,
            icon="qr-code-scan",
        )
        register_audit_source(
            key="bookings", label="参访预约", entries=audit_events, search=("note",)
        )
        register_audit_source(
            key="sites", label="参访点", entries=site_audit_events, search=("note",)
        )
        register_review_source(perm=Perm.MANAGE, items=bookings_to_confirm)
        register_figures(SOURCE)
        demo.register(order=60, name="sites", label="红色教育参访点", load=demo_sites)
