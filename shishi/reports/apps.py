from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "shishi.reports"
    label = "reports"
    verbose_name = "报表"

    def ready(self) -> None:
        from shishi.core import demo
        from shishi.orgs.navigation import register
        from shishi.reports import tasks  # noqa: F401  (periodic tasks)
        from shishi.reports.access import Perm
        from shishi.reports.summary import demo_summary

        register(
            section="统计报表",
            label="数据看板",
            url_name="reports:dashboard",
            perm=Perm.DASHBOARD,
            icon="speedometer2",
        )
        register(
            section="统计报表",
            label="报告存档",
            url_name="reports:documents",
            perm=Perm.DOCUMENTS,
            icon="file-earmark-text",
        )
        register(
            section="统计报表",
            label="工作综述",
            url_name="reports:overview",
            perm=Perm.DOCUMENTS,
            icon="journal-text",
        )
        demo.register(order=90, label="汇总统计", load=demo_summary)
