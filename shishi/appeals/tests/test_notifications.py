"""What the citizen is texted when their appeal is answered: the result, by when to
evaluate, and the link to their own tracking page — merged reporters get their own."""

from shishi.appeals import actions
from shishi.appeals.tests.conftest import REPLY_TEXT, REPORTER_PHONE
from shishi.appeals.tests.helpers import at, sms_to

MONDAY = at(2024, 3, 4, 9)


def test_the_reply_sms_says_by_when_to_evaluate_and_links_each_reporters_page(desk, settings):
    # given an appeal held by 芗城区 and the same problem reported again by someone else, merged
    settings.PUBLIC_URL = "https://12345.zhangzhou.gov.cn"
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    desk.sign(appeal, now=MONDAY)
    again = desk.submit(now=MONDAY, phone="13911112222")
    actions.merge_appeal(duplicate=again, primary=appeal, actor=desk.operator, now=MONDAY)

    # when 芗城区 answers on Monday (callback window: 3 working days, to Thursday 03-07)
    actions.reply_appeal(
        appeal=appeal, actor=desk.county, kind="solved", text=REPLY_TEXT, now=MONDAY
    )

    # then each reporter is told by when to evaluate, with a link to their own code's page
    own = sms_to(REPORTER_PHONE)[-1]
    merged = sms_to("13911112222")[-1]
    assert "03月07日前查看答复并评价" in own
    assert own.endswith(f"https://12345.zhangzhou.gov.cn/t/{appeal.tracking_key}")
    assert merged.endswith(f"https://12345.zhangzhou.gov.cn/t/{again.tracking_key}")
    assert "与相同诉求合并办理" in merged and appeal.code not in merged
