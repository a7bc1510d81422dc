from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "shishi.campaign"
    label = "campaign"
    verbose_name = "活动组织"

    def ready(self) -> None:
        from shishi.campaign import tasks  # noqa: F401  (periodic tasks)
        from shishi.campaign.access import audit_events
        from shishi.orgs.navigation import register_audit_source

        register_audit_source(
            key="campaign", label="部署任务", entries=audit_events, search=("note",)
        )
