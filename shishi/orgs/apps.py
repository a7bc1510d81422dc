from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "shishi.orgs"
    label = "orgs"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from shishi.core import demo
        from shishi.orgs import checks  # noqa: F401  (registration)
        from shishi.orgs.access import Perm, visible_audit_entries
        from shishi.orgs.demo import demo_summary
        from shishi.orgs.navigation import (
            register,
            register_audit_source,
            register_panel,
            review_panel,
        )

        register(
            section="工作台", label="首页", url_name="staff:home", perm=Perm.VIEW, icon="house"
        )
        register(
            section="组织机构",
            label="单位",
            url_name="staff:units",
            perm=Perm.VIEW,
            icon="diagram-3",
        )
        register(
            section="组织机构", label="人员", url_name="staff:people", perm=Perm.VIEW, icon="people"
        )
        register(
            section="系统",
            label="工作日历",
            url_name="staff:calendar",
            perm=Perm.VIEW,
            icon="calendar3",
        )
        register(
            section="系统",
            label="短信模板",
            url_name="staff:sms_templates",
            perm=Perm.MANAGE_SMS,
            icon="chat-left-text",
        )
        register(
            section="系统",
            label="短信发送失败",
            url_name="staff:sms_failures",
            perm=Perm.MANAGE_SMS,
            icon="exclamation-triangle",
        )
        register(
            section="系统",
            label="审计日志",
            url_name="staff:audit",
            perm=Perm.VIEW_AUDIT,
            icon="journal-text",
        )
        demo.register(order=10, name="orgs", label="组织机构", load=demo_summary)
        # 待我审核 first on the home page; the modules add what their leaders approve.
        register_panel(template="staff/_review_panel.html", perm=Perm.VIEW, context=review_panel)
        register_audit_source(
            key="orgs", label="组织与系统", entries=visible_audit_entries, search=("target_label",)
        )
