from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "shishi.enterprises"
    label = "enterprises"
    verbose_name = "政企服务"

    def ready(self) -> None:
        from shishi.enterprises import tasks  # noqa: F401  (periodic tasks)
        from shishi.enterprises.access import Perm, audit_events
        from shishi.orgs.navigation import register, register_audit_source

        register(
            section="政企服务",
            label="企业库",
            url_name="enterprises:list",
            perm=Perm.VIEW,
            icon="buildings",
        )
        register(
            section="政企服务",
            label="我的挂钩企业",
            url_name="enterprises:mine",
            perm=Perm.VISIT,
            icon="person-workspace",
        )
        register(
            section="政企服务",
            label="走访记录",
            url_name="enterprises:visits",
            perm=Perm.VIEW,
            icon="journal-check",
        )
        register(
            section="政企服务",
            label="企业诉求",
            url_name="enterprises:problems",
            perm=Perm.VIEW,
            icon="chat-square-text",
        )
        register(
            section="政企服务",
            label="惠企兑现",
            url_name="enterprises:benefits",
            perm=Perm.VIEW,
            icon="cash-coin",
        )
        register_audit_source(
            key="enterprises", label="政企服务", entries=audit_events, search=("note",)
        )
        from shishi.core.figures import register as register_figures
        from shishi.enterprises.figures import PAIRING_SOURCE, SOURCE

        register_figures(SOURCE)
        register_figures(PAIRING_SOURCE)
        from shishi.core import demo
        from shishi.enterprises.demo import demo_summary

        demo.register(order=70, name="enterprises", label="千名干部挂千企", load=demo_summary)
