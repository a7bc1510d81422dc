"""The SMS an appeal's changes send: to the citizen, to the units that hold it, to supervisors.

Every text is a registered SMS kind (core.sms) declared here; actions call these inside
their transaction (the outbox sends after commit).
"""

from datetime import date

from django.conf import settings

from shishi.appeals.models import Appeal, Reply, ReplyKind, Review
from shishi.core import sms
from shishi.core.sms import Sms
from shishi.core.supervision import Level
from shishi.orgs.models import Role, Unit
from shishi.orgs.notify import tell_phone, tell_role, tell_unit_staff


def _day(day: date) -> str:
    return f"{day:%m月%d日}"


LADDER = {
    Level.REMIND: sms.kind(
        "appeals.remind", "诉求到期提醒", "【提醒】{code}“{title}”将于{due}到期，请抓紧办理"
    ),
    Level.URGE: sms.kind(
        "appeals.urge", "诉求到期催办", "【催办】{code}“{title}”今天到期，请务必今日内答复"
    ),
    Level.SUPERVISE: sms.kind(
        "appeals.supervise",
        "诉求超期督办",
        "【督办】{code}“{title}”已超过办理期限（{due}），请立即办理并说明原因",
    ),
    Level.NOTIFY: sms.kind(
        "appeals.notify", "诉求超期通报", "【通报】{code}“{title}”超期{overdue}个工作日，将列入通报"
    ),
}


# The dispatch duty (待派单): the office that holds it is told, not a handling unit.
DISPATCH_LADDER = {
    Level.REMIND: sms.kind(
        "appeals.dispatch_remind", "派单提醒", "【派单提醒】{code}“{title}”请于{due}前派出"
    ),
    Level.URGE: sms.kind(
        "appeals.dispatch_urge", "派单催办", "【派单催办】{code}“{title}”今天须派出，请尽快派单"
    ),
    Level.SUPERVISE: sms.kind(
        "appeals.dispatch_supervise",
        "派单督办",
        "【派单督办】{code}“{title}”已过派单期限（{due}），请立即派单",
    ),
    Level.NOTIFY: sms.kind(
        "appeals.dispatch_notify",
        "派单通报",
        "【派单通报】{code}“{title}”超期{overdue}个工作日未派单，将列入通报",
    ),
}
RECLASSIFIED = sms.kind(
    "appeals.reclassified",
    "诉求分类调整",
    "【分类调整】{code}改为“{category}”（{kind}），办理期限调整为{due}",
)
RECEIVED = sms.kind(
    "appeals.received",
    "诉求受理告知（群众）",
    "您反映的问题已受理，编号{code}。查询办理进度：{link}"
    "（请勿转发；也可凭编号和手机号后四位在“{platform}”平台查询）。",
)
DISPATCHED = sms.kind(
    "appeals.dispatched",
    "诉求待签收",
    "【诉求待签收】{code}“{title}”已派至贵单位，请于{sign_due}前签收，{handle_due}前办结。",
)
CO_DISPATCHED = sms.kind(
    "appeals.co_dispatched",
    "诉求协办待签收",
    "【诉求待签收】{code}“{title}”已派贵单位协办，请于{sign_due}前签收，{handle_due}前办结。",
)
RETURNED = sms.kind("appeals.returned", "诉求退单", "【诉求退单】{code}被{unit}退回：{reason}")
EXTENSION_REQUESTED = sms.kind(
    "appeals.extension_requested", "延期申请", "【延期申请】{unit}申请{code}延期{days}个工作日"
)
EXTENSION_TO_REVIEW = sms.kind(
    "appeals.extension_to_review",
    "延期申请待审核",
    "【延期申请】{unit}申请{code}延期{days}个工作日，请审核",
)
REVIEW_DECIDED = sms.kind(
    "appeals.review_decided", "审核结果", "【审核结果】{code}的{review}申请{result}。{note}"
)
REPLIED = sms.kind(
    "appeals.replied",
    "诉求答复告知（群众）",
    "您反映的问题（编号{code}{merged}）已答复：{kind}。"
    "请于{due}前查看答复并评价（逾期视为未评价）：{link}",
)
REPLY_AWAITING_APPROVAL = sms.kind(
    "appeals.reply_awaiting_approval",
    "答复待审核",
    "【答复待审核】{code}“{title}”的答复已由{by}提交，请审核后发给群众（办理期限{due}）",
)
REPLY_RETURNED = sms.kind(
    "appeals.reply_returned",
    "答复退回",
    "【答复退回】{code}的答复被负责人退回：{note}。请修改后重新答复",
)
REOPENED = sms.kind(
    "appeals.reopened", "诉求重办", "【重办】{code}群众评价不满意，请于{due}前重新办理"
)
ESCALATED = sms.kind(
    "appeals.escalated", "提级督办", "【提级督办】{code}重办{times}次仍不满意，承办单位{unit}"
)
MERGED = sms.kind(
    "appeals.merged",
    "诉求合并告知（群众）",
    "您反映的问题（编号{code}）与其他群众反映的相同诉求合并办理，办理结果将同步告知您，"
    "仍可凭原编号查询。",
)
WITHDRAWN = sms.kind(
    "appeals.withdrawn", "诉求撤回", "【诉求撤回】{code}已由群众撤回，无需继续办理"
)
URGED = sms.kind(
    "appeals.urged", "人工催办督办", "【{level}】{by}对{code}“{title}”{level}{due}：{note}"
)
INSTRUCTED = sms.kind(
    "appeals.instructed",
    "领导批示",
    "【领导批示】{code}“{title}”，{leader}批示：{text}。请认真落实。",
)


def dispatch_ladder_sms(appeal: Appeal, level: Level, overdue: int) -> Sms:
    return _rung(DISPATCH_LADDER[level], appeal, due=appeal.dispatch_due, overdue=overdue)


def ladder_sms(appeal: Appeal, level: Level, overdue: int) -> Sms:
    return _rung(LADDER[level], appeal, due=appeal.handle_due, overdue=overdue)


def _rung(kind: sms.SmsKind, appeal: Appeal, *, due: date, overdue: int) -> Sms:
    values = {"code": appeal.code, "title": appeal.title, "due": _day(due), "overdue": overdue}
    return kind(**{name: values[name] for name in kind.variables})


def reclassified(appeal: Appeal) -> None:
    tell_unit_staff(
        appeal.holder,
        RECLASSIFIED(
            code=appeal.code,
            category=appeal.category.name,
            kind=appeal.get_kind_display(),
            due=_day(appeal.handle_due),
        ),
        about=appeal,
    )


def tracking_link(appeal: Appeal) -> str:
    """The citizen's own link to their tracking page (DESIGN §9): it opens the timeline
    without the code and last four digits, so only their SMS carries it."""
    return f"{settings.PUBLIC_URL}/t/{appeal.tracking_key}"


def received(appeal: Appeal) -> None:
    tell_phone(
        appeal.reporter_phone,
        RECEIVED(
            code=appeal.code,
            link=tracking_link(appeal),
            platform=f"{settings.CITY_NAME}{settings.CAMPAIGN_NAME}",
        ),
        unit_id=appeal.holder_id,
        about=appeal,
    )


def dispatched(appeal: Appeal, *, to_unit: Unit, co_units: list[Unit], sign_due: date) -> None:
    values = {
        "code": appeal.code,
        "title": appeal.title,
        "sign_due": _day(sign_due),
        "handle_due": _day(appeal.handle_due),
    }
    tell_unit_staff(to_unit, DISPATCHED(**values), about=appeal)
    for unit in co_units:
        tell_unit_staff(unit, CO_DISPATCHED(**values), about=appeal)


def returned(appeal: Appeal, *, to_unit: Unit, by_unit: Unit, reason: str) -> None:
    tell_unit_staff(
        to_unit, RETURNED(code=appeal.code, unit=by_unit.name, reason=reason), about=appeal
    )


def extension_requested(appeal: Appeal, *, unit: Unit, days: int) -> None:
    """The supervisors; within the leaders' limit, the unit's own leader too (who may decide)."""
    values = {"unit": unit.name, "code": appeal.code, "days": days}
    tell_role(Role.SUPERVISOR, EXTENSION_REQUESTED(**values), about=appeal)
    if days <= settings.APPEAL_LEADER_EXTENSION_DAYS:
        tell_unit_staff(
            unit, EXTENSION_TO_REVIEW(**values), roles=(Role.UNIT_LEADER,), about=appeal
        )


def review_decided(appeal: Appeal, *, review: Review, approve: bool, note: str) -> None:
    tell_unit_staff(
        review.unit,
        REVIEW_DECIDED(
            code=appeal.code,
            review=review.get_type_display(),
            result="已同意" if approve else "未同意",
            note=note,
        ),
        about=appeal,
    )


def replied(appeal: Appeal, *, kind: str) -> None:
    """The reporter, and the reporters of every appeal merged into this one: the result, by
    when to evaluate, and the link to their own tracking page."""

    def message(reporter: Appeal, merged_note: str = "") -> Sms:
        return REPLIED(
            code=reporter.code,
            merged=merged_note,
            kind=ReplyKind(kind).label,
            due=_day(appeal.callback_due),
            link=tracking_link(reporter),
        )

    tell_phone(appeal.reporter_phone, message(appeal), unit_id=appeal.holder_id, about=appeal)
    for merged in appeal.merged_appeals.all():
        tell_phone(
            merged.reporter_phone,
            message(merged, "，与相同诉求合并办理"),
            unit_id=appeal.holder_id,
            about=merged,
        )


def reply_awaiting_approval(appeal: Appeal, *, reply: Reply) -> None:
    tell_unit_staff(
        appeal.holder,
        REPLY_AWAITING_APPROVAL(
            code=appeal.code, title=appeal.title, by=reply.by.name, due=_day(appeal.handle_due)
        ),
        roles=(Role.UNIT_LEADER,),
        about=appeal,
    )


def reply_returned(appeal: Appeal, *, note: str) -> None:
    tell_unit_staff(
        appeal.holder,
        REPLY_RETURNED(code=appeal.code, note=note),
        roles=(Role.UNIT_CLERK,),
        about=appeal,
    )


def reopened(appeal: Appeal, *, due: date) -> None:
    tell_unit_staff(appeal.holder, REOPENED(code=appeal.code, due=_day(due)), about=appeal)


def escalated(appeal: Appeal) -> None:
    tell_role(
        Role.SUPERVISOR,
        ESCALATED(code=appeal.code, times=appeal.reopen_count, unit=appeal.holder.name),
        about=appeal,
    )


def merged(duplicate: Appeal, *, primary: Appeal) -> None:
    tell_phone(
        duplicate.reporter_phone,
        MERGED(code=duplicate.code),
        unit_id=primary.holder_id,
        about=duplicate,
    )


def withdrawn(appeal: Appeal) -> None:
    tell_unit_staff(appeal.holder, WITHDRAWN(code=appeal.code), about=appeal)


def urged(appeal: Appeal, *, level: Level, note: str, by: Unit) -> None:
    """A supervisor's manual 催办/督办, to the staff of the unit holding the appeal."""
    due = f"，办理期限{_day(appeal.handle_due)}" if appeal.handle_due else ""
    tell_unit_staff(
        appeal.holder,
        URGED(
            level=Level(level).label,
            by=by.name,
            code=appeal.code,
            title=appeal.title,
            due=due,
            note=note,
        ),
        about=appeal,
    )


def instructed(appeal: Appeal, *, leader: str, text: str) -> None:
    tell_unit_staff(
        appeal.holder,
        INSTRUCTED(code=appeal.code, title=appeal.title, leader=leader, text=text),
        about=appeal,
    )
