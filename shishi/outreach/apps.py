from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "shishi.outreach"
    label = "outreach"
    verbose_name = "宣讲与志愿服务"

    def ready(self) -> None:
        from shishi.core import demo
        from shishi.core.figures import register as register_figures
        from shishi.orgs.navigation import register, register_audit_source
        from shishi.outreach.access import Perm, audit_events
        from shishi.outreach.demo import demo_summary
        from shishi.outreach.figures import SOURCE, TEAMS_SOURCE

        for label, url_name, perm, icon in (
            ("宣讲活动", "outreach:lectures", Perm.VIEW, "mic"),
            ("宣讲队伍", "outreach:teams", Perm.VIEW, "people"),
            ("志愿服务", "outreach:volunteers", Perm.VIEW, "heart"),
            ("先锋岗·责任区", "outreach:posts", Perm.VIEW, "flag"),
            ("党史上的今天", "outreach:today", Perm.TODAY, "calendar-event"),
        ):
            register(section="宣讲与志愿服务", label=label, url_name=url_name, perm=perm, icon=icon)
        register_audit_source(
            key="outreach", label="宣讲与志愿服务", entries=audit_events, search=("target", "note")
        )
        register_figures(TEAMS_SOURCE)
        register_figures(SOURCE)
        demo.register(order=50, name="outreach", label="宣讲与志愿服务", load=demo_summary)
