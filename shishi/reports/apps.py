from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "shishi.reports"
    label = "reports"
    verbose_name = "报表"

    def ready(self) -> None:
        from shishi.core import demo
        from shishi.orgs.navigation import register
        from shishi.projects.access import Perm as ProjectPerm
        from shishi.reports import actions, tasks
        from shishi.reports.access import Perm
        from shishi.reports.summary import demo_summary

        # Documents are written by the worker (tasks imports actions, so not the reverse).
        actions.generate_soon = tasks.generate_document
        for label, url_name, perm, icon in (
            ("数据看板", "reports:dashboard", Perm.DASHBOARD, "speedometer2"),
            ("项目周报月报", "reports:project_report", ProjectPerm.VIEW, "calendar-week"),
            ("报告存档", "reports:documents", Perm.DOCUMENTS, "file-earmark-text"),
            ("工作综述", "reports:overview", Perm.DOCUMENTS, "journal-text"),
        ):
            register(section="统计报表", label=label, url_name=url_name, perm=perm, icon=icon)
        demo.register(order=90, name="summary", label="汇总统计", load=demo_summary)
