from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "shishi.projects"
    label = "projects"
    verbose_name = "实事项目"

    def ready(self) -> None:
        from shishi.appeals.queries import APPEAL_LINKS, AppealLink
        from shishi.core import demo
        from shishi.orgs.navigation import register, register_panel
        from shishi.projects import tasks  # noqa: F401  (periodic tasks)
        from shishi.projects.access import Perm
        from shishi.projects.demo import demo_summary
        from shishi.projects.panels import home_panel

        register(
            section="实事项目",
            label="项目台账",
            url_name="projects:list",
            perm=Perm.VIEW,
            icon="clipboard-data",
        )
        register(
            section="实事项目",
            label="单位比较",
            url_name="projects:ranking",
            perm=Perm.VIEW,
            icon="bar-chart-steps",
        )
        register(
            section="实事项目",
            label="评价审核",
            url_name="projects:ratings",
            perm=Perm.MODERATE,
            icon="star",
        )
        register_panel(template="projects/_home_panel.html", perm=Perm.VIEW, context=home_panel)
        from shishi.orgs.navigation import register_review_source
        from shishi.projects.panels import reports_to_approve

        register_review_source(perm=Perm.REVIEW_REPORT, items=reports_to_approve)
        demo.register(order=30, name="projects", label="实事项目", load=demo_summary)
        APPEAL_LINKS.append(
            AppealLink(label="生成实事项目", url_name="projects:new", perm=Perm.RUN)
        )
        from shishi.orgs.navigation import register_audit_source
        from shishi.projects.access import audit_events

        register_audit_source(
            key="projects", label="实事项目", entries=audit_events, search=("target_text",)
        )
        from shishi.core.figures import register as register_figures
        from shishi.projects.figures import SOURCE

        register_figures(SOURCE)
