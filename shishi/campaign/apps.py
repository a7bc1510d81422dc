from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "shishi.campaign"
    label = "campaign"
    verbose_name = "活动组织"

    def ready(self) -> None:
        from shishi.campaign import tasks  # noqa: F401  (periodic tasks)
        from shishi.campaign.access import (
            Perm,
            audit_events,
            rectification_audit_events,
            study_audit_events,
            visit_audit_events,
        )
        from shishi.orgs.navigation import register, register_audit_source

        register(
            section="活动组织",
            label="部署任务",
            url_name="campaign:directives",
            perm=Perm.VIEW,
            icon="megaphone",
        )
        register(
            section="活动组织",
            label="我的任务",
            url_name="campaign:mine",
            perm=Perm.REPORT,
            icon="list-check",
        )

        register(
            section="活动组织",
            label="学习活动",
            url_name="campaign:study",
            perm=Perm.VIEW,
            icon="book",
        )

        register(
            section="活动组织",
            label="巡回指导",
            url_name="campaign:guidance",
            perm=Perm.VIEW,
            icon="signpost-split",
        )
        register(
            section="活动组织",
            label="整改事项",
            url_name="campaign:rectifications",
            perm=Perm.VIEW,
            icon="tools",
        )

        register_audit_source(
            key="campaign", label="部署任务", entries=audit_events, search=("note",)
        )
        register_audit_source(
            key="study", label="学习活动", entries=study_audit_events, search=("note",)
        )
        register_audit_source(
            key="guidance", label="巡回指导", entries=visit_audit_events, search=("note",)
        )
        register_audit_source(
            key="rectification",
            label="整改事项",
            entries=rectification_audit_events,
            search=("note",),
        )
        from shishi.campaign.demo import demo_summary, guidance_summary, study_summary
        from shishi.campaign.figures import (
            GUIDANCE_SOURCE,
            RECTIFICATION_SOURCE,
            SOURCE,
            STUDY_SOURCE,
        )
        from shishi.core import demo
        from shishi.core.figures import register as register_figures

        register_figures(SOURCE)
        register_figures(STUDY_SOURCE)
        register_figures(GUIDANCE_SOURCE)
        register_figures(RECTIFICATION_SOURCE)
        demo.register(order=40, name="campaign", label="部署任务", load=demo_summary)
        demo.register(order=41, name="study", label="学习活动", load=study_summary)
        demo.register(order=42, name="guidance", label="巡回指导", load=guidance_summary)
