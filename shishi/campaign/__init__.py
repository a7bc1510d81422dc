"""活动组织: the campaign's organising work — directives cascaded to every unit (部署任务),
with study sessions, roving guidance and rectification to follow."""
