"""The SMS an appeal's changes send: to the citizen, to the units that hold it, to supervisors.

Every text is written here; actions call these inside their transaction (the outbox sends
after commit).
"""

from datetime import date

from django.conf import settings

from shishi.appeals.models import Appeal, Reply, ReplyKind, Review
from shishi.core.supervision import Level
from shishi.orgs.models import Role, Unit
from shishi.orgs.notify import tell_phone, tell_role, tell_unit_staff

LADDER_TEXT = {
    Level.REMIND: "【提醒】{code}“{title}”将于{due:%m月%d日}到期，请抓紧办理",
    Level.URGE: "【催办】{code}“{title}”今天到期，请务必今日内答复",
    Level.SUPERVISE: (
        "【督办】{code}“{title}”已超过办理期限（{due:%m月%d日}），请立即办理并说明原因"
    ),
    Level.NOTIFY: "【通报】{code}“{title}”超期{overdue}个工作日，将列入通报",
}


# The dispatch duty (待派单): the office that holds it is told, not a handling unit.
DISPATCH_LADDER_TEXT = {
    Level.REMIND: "【派单提醒】{code}“{title}”请于{due:%m月%d日}前派出",
    Level.URGE: "【派单催办】{code}“{title}”今天须派出，请尽快派单",
    Level.SUPERVISE: "【派单督办】{code}“{title}”已过派单期限（{due:%m月%d日}），请立即派单",
    Level.NOTIFY: "【派单通报】{code}“{title}”超期{overdue}个工作日未派单，将列入通报",
}


def dispatch_ladder_text(appeal: Appeal, level: Level, overdue: int) -> str:
    return _rung_text(DISPATCH_LADDER_TEXT[level], appeal, due=appeal.dispatch_due, overdue=overdue)


def reclassified(appeal: Appeal) -> None:
    tell_unit_staff(
        appeal.holder,
        f"【分类调整】{appeal.code}改为“{appeal.category.name}”（{appeal.get_kind_display()}），"
        f"办理期限调整为{appeal.handle_due:%m月%d日}",
    )


def ladder_text(appeal: Appeal, level: Level, overdue: int) -> str:
    return _rung_text(LADDER_TEXT[level], appeal, due=appeal.handle_due, overdue=overdue)


def _rung_text(template: str, appeal: Appeal, *, due: date, overdue: int) -> str:
    return template.format(code=appeal.code, title=appeal.title, due=due, overdue=overdue)


def tracking_link(appeal: Appeal) -> str:
    """The citizen's own link to their tracking page (DESIGN §9): it opens the timeline
    without the code and last four digits, so only their SMS carries it."""
    return f"{settings.PUBLIC_URL}/t/{appeal.tracking_key}"


def received(appeal: Appeal) -> None:
    tell_phone(
        appeal.reporter_phone,
        f"您反映的问题已受理，编号{appeal.code}。查询办理进度：{tracking_link(appeal)}"
        f"（请勿转发；也可凭编号和手机号后四位在“{settings.CITY_NAME}{settings.CAMPAIGN_NAME}”"
        f"平台查询）。",
    )


def dispatched(appeal: Appeal, *, to_unit: Unit, co_units: list[Unit], sign_due: date) -> None:
    body = (
        f"【诉求待签收】{appeal.code}“{appeal.title}”已派至贵单位，请于{sign_due:%m月%d日}前"
        f"签收，{appeal.handle_due:%m月%d日}前办结。"
    )
    tell_unit_staff(to_unit, body)
    for unit in co_units:
        tell_unit_staff(unit, body.replace("派至贵单位", "派贵单位协办"))


def returned(appeal: Appeal, *, to_unit: Unit, by_unit: Unit, reason: str) -> None:
    tell_unit_staff(to_unit, f"【诉求退单】{appeal.code}被{by_unit.name}退回：{reason}")


def extension_requested(appeal: Appeal, *, unit: Unit, days: int) -> None:
    """The supervisors; within the leaders' limit, the unit's own leader too (who may decide)."""
    text = f"【延期申请】{unit.name}申请{appeal.code}延期{days}个工作日"
    tell_role(Role.SUPERVISOR, text)
    if days <= settings.APPEAL_LEADER_EXTENSION_DAYS:
        tell_unit_staff(unit, f"{text}，请审核", roles=(Role.UNIT_LEADER,))


def review_decided(appeal: Appeal, *, review: Review, approve: bool, note: str) -> None:
    tell_unit_staff(
        review.unit,
        f"【审核结果】{appeal.code}的{review.get_type_display()}申请"
        f"{'已同意' if approve else '未同意'}。{note}",
    )


def replied(appeal: Appeal, *, kind: str) -> None:
    """The reporter, and the reporters of every appeal merged into this one: the result, by
    when to evaluate, and the link to their own tracking page."""

    def message(reporter: Appeal, merged_note: str = "") -> str:
        return (
            f"您反映的问题（编号{reporter.code}{merged_note}）已答复：{ReplyKind(kind).label}。"
            f"请于{appeal.callback_due:%m月%d日}前查看答复并评价（逾期视为未评价）："
            f"{tracking_link(reporter)}"
        )

    tell_phone(appeal.reporter_phone, message(appeal))
    for merged in appeal.merged_appeals.all():
        tell_phone(merged.reporter_phone, message(merged, "，与相同诉求合并办理"))


def reply_awaiting_approval(appeal: Appeal, *, reply: Reply) -> None:
    tell_unit_staff(
        appeal.holder,
        f"【答复待审核】{appeal.code}“{appeal.title}”的答复已由{reply.by.name}提交，"
        f"请审核后发给群众（办理期限{appeal.handle_due:%m月%d日}）",
        roles=(Role.UNIT_LEADER,),
    )


def reply_returned(appeal: Appeal, *, note: str) -> None:
    tell_unit_staff(
        appeal.holder,
        f"【答复退回】{appeal.code}的答复被负责人退回：{note}。请修改后重新答复",
        roles=(Role.UNIT_CLERK,),
    )


def reopened(appeal: Appeal, *, due: date) -> None:
    tell_unit_staff(
        appeal.holder, f"【重办】{appeal.code}群众评价不满意，请于{due:%m月%d日}前重新办理"
    )


def escalated(appeal: Appeal) -> None:
    tell_role(
        Role.SUPERVISOR,
        f"【提级督办】{appeal.code}重办{appeal.reopen_count}次仍不满意，"
        f"承办单位{appeal.holder.name}",
    )


def merged(duplicate: Appeal, *, primary: Appeal) -> None:
    tell_phone(
        duplicate.reporter_phone,
        f"您反映的问题（编号{duplicate.code}）与其他群众反映的相同诉求"
        f"合并办理，办理结果将同步告知您，仍可凭原编号查询。",
    )


def withdrawn(appeal: Appeal) -> None:
    tell_unit_staff(appeal.holder, f"【诉求撤回】{appeal.code}已由群众撤回，无需继续办理")


def urged(appeal: Appeal, *, level: Level, note: str, by: Unit) -> None:
    """A supervisor's manual 催办/督办, to the staff of the unit holding the appeal."""
    due = f"，办理期限{appeal.handle_due:%m月%d日}" if appeal.handle_due else ""
    tell_unit_staff(
        appeal.holder,
        f"【{Level(level).label}】{by.name}对{appeal.code}“{appeal.title}”{Level(level).label}"
        f"{due}：{note}",
    )


def instructed(appeal: Appeal, *, leader: str, text: str) -> None:
    tell_unit_staff(
        appeal.holder,
        f"【领导批示】{appeal.code}“{appeal.title}”，{leader}批示：{text}。请认真落实。",
    )
