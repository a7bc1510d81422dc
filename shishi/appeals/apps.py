from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "shishi.appeals"
    label = "appeals"
    verbose_name = "诉求办理"

    def ready(self) -> None:
        from shishi.appeals import tasks  # noqa: F401  (periodic tasks)
        from shishi.appeals.access import Perm
        from shishi.appeals.demo import demo_summary
        from shishi.core import demo
        from shishi.orgs.navigation import register

        register(
            section="诉求办理",
            label="诉求工作台",
            url_name="appeals:queue",
            perm=Perm.HANDLE,
            icon="inbox",
        )
        register(
            section="诉求办理",
            label="热线登记",
            url_name="appeals:new",
            perm=Perm.INTAKE,
            icon="telephone-plus",
        )
        register(
            section="诉求办理",
            label="审核",
            url_name="appeals:reviews",
            perm=Perm.REVIEW,
            icon="clipboard-check",
        )
        register(  # unit leaders: the subtree's extension requests (no role holds both)
            section="诉求办理",
            label="延期审核",
            url_name="appeals:reviews",
            perm=Perm.APPROVE,
            icon="clipboard-check",
        )
        for key, label, icon in (
            ("all_overdue", "已超期", "alarm"),
            ("all_due_soon", "即将到期", "hourglass-split"),
            ("notified", "通报", "megaphone"),
        ):  # 督查员: the subtree's late work, each tab of the queue as its own entry
            register(
                section="督查督办",
                label=label,
                url_name="appeals:queue",
                perm=Perm.SUPERVISE,
                icon=icon,
                query=f"queue={key}",
            )
        register(
            section="诉求办理",
            label="单位排名",
            url_name="appeals:ranking",
            perm=Perm.RANKING,
            icon="bar-chart-line",
        )
        demo.register(order=20, name="appeals", label="诉求", load=demo_summary)
        from shishi.appeals.panels import home_panel
        from shishi.orgs.navigation import register_panel

        register_panel(template="appeals/_home_panel.html", perm=Perm.VIEW, context=home_panel)
        from shishi.appeals.panels import extensions_to_review, replies_to_review
        from shishi.orgs.navigation import register_review_source

        register_review_source(perm=Perm.APPROVE, items=replies_to_review)
        register_review_source(perm=Perm.APPROVE, items=extensions_to_review)
        from shishi.appeals.panels import unit_interviews
        from shishi.orgs.navigation import register_unit_panel

        register_unit_panel(
            template="appeals/_unit_interviews.html", perm=Perm.VIEW, context=unit_interviews
        )
        from shishi.appeals.access import audit_events
        from shishi.orgs.navigation import register_audit_source

        register_audit_source(
            key="appeals", label="诉求办理", entries=audit_events, search=("target_text",)
        )
        from shishi.appeals.figures import SOURCE
        from shishi.core.figures import register as register_figures

        register_figures(SOURCE)
