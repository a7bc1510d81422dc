from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "shishi.reports"
    label = "reports"
    verbose_name = "报表"

    def ready(self) -> None:
        from shishi.core import demo
        from shishi.reports import tasks  # noqa: F401  (periodic tasks)
        from shishi.reports.summary import demo_summary

        demo.register(order=90, label="汇总统计", load=demo_summary)
