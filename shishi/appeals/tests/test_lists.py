"""Finding appeals: full-text search on jieba tokens (SQLite FTS5 or PostgreSQL), the staff
queue with filters and keyset pages, and the CSV / XLSX exports (phones always masked)."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shishi.appeals import search
from shishi.appeals.access import visible_appeals
from shishi.appeals.exports import HEADER
from shishi.appeals.models import Appeal, Kind
from shishi.appeals.tests.conftest import LABOUR, SAFETY
from shishi.appeals.tests.helpers import at

pytestmark = pytest.mark.django_db

LIFT = "我们小区的电梯经常停运，老人上下楼很不方便，希望尽快维修。"
FUMES = "楼下餐馆油烟扰民，晚上噪音也很大，影响休息。"
WAGES = "公司拖欠工资三个月，多次讨要没有结果。"


def _codes(rows) -> list[str]:
    return [appeal.code for appeal in rows]


def _listed(client, query: str = "") -> list[str]:
    response = client.get(reverse("appeals:queue") + "?queue=all" + query)
    assert response.status_code == 200
    return _codes(response.context["page"].rows)


# --- Search --------------------------------------------------------------------------------------


@pytest.fixture
def three(desk):
    """Three appeals about a lift, cooking fumes and unpaid wages."""
    return {
        "lift": desk.submit(now=at(2024, 3, 4, 9), content=LIFT, place="芝山小区"),
        "fumes": desk.submit(now=at(2024, 3, 4, 10), content=FUMES),
        "wages": desk.submit(now=at(2024, 3, 4, 11), content=WAGES, category=LABOUR),
    }


def test_search_finds_a_word_inside_a_chinese_sentence(three):
    # when searching for 电梯 (a word jieba cuts out of 小区的电梯经常停运)
    found = search.matching(Appeal.objects.all(), "电梯")

    # then only the lift appeal is found
    assert _codes(found) == [three["lift"].code]


def test_search_needs_every_word_of_the_query(three):
    # when searching for two words that occur together, then apart
    together = search.matching(Appeal.objects.all(), "油烟 噪音")
    apart = search.matching(Appeal.objects.all(), "电梯 油烟")

    # then only an appeal with both words matches
    assert _codes(together) == [three["fumes"].code]
    assert _codes(apart) == []


def test_search_covers_the_place_and_narrows_the_given_queryset(three, desk):
    # given the lift appeal sent down to 芝山街道
    desk.dispatch(three["lift"], to="xiangcheng", now=at(2024, 3, 4))
    desk.dispatch(three["lift"], to="zhishan", now=at(2024, 3, 4))

    # when 芝山街道 and 西桥街道 search their own appeals for the place 芝山小区
    own = search.matching(visible_appeals(desk.town), "芝山小区")
    sibling = search.matching(visible_appeals(desk.sibling), "芝山小区")

    # then the town finds it, the sibling does not
    assert _codes(own) == [three["lift"].code]
    assert _codes(sibling) == []


def test_search_by_a_phrase_uses_its_words(three):
    # when searching with a phrase whose words all occur in one appeal, then with one
    # whose last word occurs nowhere
    found = search.matching(Appeal.objects.all(), "公司拖欠工资")
    missing = search.matching(Appeal.objects.all(), "公司拖欠奖金")

    # then the first finds that appeal, the second nothing
    assert _codes(found) == [three["wages"].code]
    assert _codes(missing) == []


def test_a_word_jieba_cuts_apart_on_its_own_is_still_found_where_it_is_one_word(desk):
    # given a text where jieba reads 分去 as one word (alone it cuts it into 分 + 去)
    appeal = desk.submit(now=at(2024, 3, 4, 9), content="数学老师换了，据说分去他班级做了班主任。")
    assert "分去" in search.tokens(appeal.content) and "分" not in search.tokens(appeal.content)

    # when searching for 分去
    found = search.matching(Appeal.objects.all(), "分去")

    # then the appeal is found
    assert _codes(found) == [appeal.code]


def test_search_ignores_full_width_letters_and_zero_width_spaces(desk):
    # given a text with full-width digits and a zero-width space inside a word
    appeal = desk.submit(
        now=at(2024, 3, 4, 9), content="ＡＢ小区１２号楼电\u200b梯停运，请尽快维修。"
    )

    # when searching in plain half-width text
    found = search.matching(Appeal.objects.all(), "ab小区 12 电梯")

    # then it is found, and the stored text is as written
    assert _codes(found) == [appeal.code]
    assert "\u200b" in Appeal.objects.get().content


def test_queue_search_box_takes_words_or_a_code(three, login, operator):
    client = login(operator)

    # when the operator searches the queue for a word, then for a code
    by_word = _listed(client, "&q=工资")
    by_code = _listed(client, f"&q={three['fumes'].code.lower()}")

    # then each finds its appeal
    assert by_word == [three["wages"].code]
    assert by_code == [three["fumes"].code]


# --- Queue filters and keyset pages --------------------------------------------------------------


def test_queue_filters_by_status_kind_category_and_unit(desk, login, operator):
    # given appeals of several kinds, categories and holders
    consult = desk.submit(now=at(2024, 3, 4, 9), kind=Kind.CONSULT)
    safety = desk.submit(now=at(2024, 3, 4, 10), category=SAFETY)
    labour = desk.submit(now=at(2024, 3, 4, 11), category=LABOUR)
    in_town = desk.in_town(now=at(2024, 3, 4, 12))
    client = login(operator)
    top = desk.categories["城乡建设"].pk

    # when the operator filters the full list
    received = _listed(client, "&status=received")
    consults = _listed(client, "&kind=consult")
    construction = _listed(client, f"&category={top}")
    under_county = _listed(client, f"&unit={desk.tree['xiangcheng'].pk}")

    # then each filter keeps its rows, newest first; a top category includes its children
    assert received == [labour.code, safety.code, consult.code]
    assert consults == [consult.code]
    assert construction == [in_town.code, safety.code, consult.code]
    assert under_county == [in_town.code]


def test_queue_date_filter_uses_beijing_days(desk, login, operator):
    # given appeals received at 23:30 and 00:30 Beijing time around midnight of 03-05
    late = desk.submit(now=at(2024, 3, 4, 23, 30))
    early = desk.submit(now=at(2024, 3, 5, 0, 30))
    client = login(operator)

    # when the list is cut at 03-05
    since = _listed(client, "&since=2024-03-05")
    until = _listed(client, "&until=2024-03-04")

    # then each falls on its Beijing day
    assert since == [early.code]
    assert until == [late.code]


def test_keyset_pages_walk_every_row_once_newest_first(desk, login, operator):
    # given 35 appeals, several received at the very same moment
    moments = [at(2024, 3, 4, 8) + timedelta(minutes=n // 3) for n in range(35)]
    appeals = [desk.submit(now=moment) for moment in moments]
    expected = [a.code for a in sorted(appeals, key=lambda a: (a.received_at, a.pk), reverse=True)]
    client = login(operator)

    # when the operator reads the first page, then follows the cursor
    first = client.get(reverse("appeals:queue") + "?queue=all").context["page"]
    second = client.get(reverse("appeals:queue") + f"?queue=all&after={first.next_cursor}").context[
        "page"
    ]

    # then the two pages hold 30 and 5 rows, in order, each row once, and the last page ends
    assert (len(first.rows), len(second.rows)) == (30, 5)
    assert _codes(first.rows) + _codes(second.rows) == expected
    assert second.next_cursor is None


def test_keyset_page_keeps_the_filters(desk, login, operator):
    # given 32 consultations and 5 help requests, interleaved
    for n in range(37):
        desk.submit(
            now=at(2024, 3, 4, 8) + timedelta(minutes=n),
            kind=Kind.HELP if n % 8 == 0 else "consult",
        )
    client = login(operator)

    # when the operator pages through consultations only
    first = client.get(reverse("appeals:queue") + "?queue=all&kind=consult").context["page"]
    rest = client.get(
        reverse("appeals:queue") + f"?queue=all&kind=consult&after={first.next_cursor}"
    ).context["page"]

    # then both pages hold consultations only, 32 in all
    assert {a.kind for a in first.rows + rest.rows} == {Kind.CONSULT}
    assert len(first.rows) + len(rest.rows) == 32


def _queries_for_queue(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("appeals:queue") + "?queue=all").status_code == 200
    return len(context)


def test_queue_query_count_does_not_grow_with_rows(
    desk, login, operator, django_assert_num_queries
):
    # given a queue of 3 appeals
    for n in range(3):
        desk.in_town(now=at(2024, 3, 4, 8, n))
    client = login(operator)
    few = _queries_for_queue(client)

    # when it grows to 30 appeals in several units and categories
    for n in range(27):
        appeal = desk.submit(now=at(2024, 3, 5, 8, n), category=LABOUR if n % 2 else SAFETY)
        if n % 3 == 0:
            desk.dispatch(appeal, to="lantian" if n % 2 else "xiangcheng", now=at(2024, 3, 5))

    # then the page takes the same, pinned number of queries: 10 = 3 (session, person,
    # memberships for the actor and the switcher) + 4 (the page with its category and holder,
    # the unit's co-handling ids and every tab's count in one aggregate, the categories to
    # filter by) + 3 (saving the session: savepoint, update, release)
    with django_assert_num_queries(10):
        many = _queries_for_queue(client)
    assert many == few


def test_next_page_link_carries_the_tab_and_filters_once(desk, login, operator):
    # given 65 consultations: three pages of the queue
    for n in range(65):
        desk.submit(now=at(2024, 3, 4, 8) + timedelta(minutes=n), kind=Kind.CONSULT)
    client = login(operator)

    # when the operator pages to the third page of consultations
    url = reverse("appeals:queue") + "?queue=all&kind=consult"
    for _ in range(2):
        response = client.get(url)
        url = reverse("appeals:queue") + _next_link(response)

    # then the link to the third page names the tab and the filter once each, and leads there
    assert (url.count("queue="), url.count("kind="), url.count("after=")) == (1, 1, 1)
    assert len(client.get(url).context["page"].rows) == 5


def _next_link(response) -> str:
    """The address of the 下一页 link, as the browser would follow it."""
    html = response.content.decode()
    start = html.rindex('href="', 0, html.index(">下一页<")) + len('href="')
    return html[start : html.index('"', start)].replace("&amp;", "&")


def test_bad_filter_values_are_named_not_silently_dropped(three, login, operator):
    # when the operator's address carries a status and a date that do not exist
    response = login(operator).get(
        reverse("appeals:queue") + "?queue=all&status=lost&since=2024-13-01&q=电梯"
    )

    # then the good filter applies, and the page says which ones it did not apply
    assert _codes(response.context["page"].rows) == [three["lift"].code]
    assert response.context["filter_form"].ignored == ["状态：lost", "受理日期自：2024-13-01"]
    assert "以下查询条件无效，未予采用" in response.content.decode()


# --- Exports -------------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_streams_the_rows_with_masked_phones(
    three, login, operator, django_assert_num_queries
):
    # given three appeals of reporter 13912345678
    client = login(operator)

    # when the operator exports the full list as CSV (and it is read to the end): 10 = 3
    # (session, person, memberships) + 3 (the audit entry of the export) + 3 (saving the
    # session, before the first byte) + 1 (the rows with their category and units, streamed)
    with django_assert_num_queries(10):
        response = client.get(reverse("appeals:export", args=["csv"]) + "?queue=all")
        rows = _csv_rows(response)

    # then it streams a header and one row per appeal, newest first, phones masked
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == [three[k].code for k in ("wages", "fumes", "lift")]
    assert {row[HEADER.index("反映人电话")] for row in rows[1:]} == {"139****5678"}
    assert "13912345678" not in str(rows)


def test_csv_export_query_count_does_not_grow_with_rows(
    three, desk, login, operator, django_assert_max_num_queries
):
    # given an export of three appeals
    client = login(operator)
    url = reverse("appeals:export", args=["csv"]) + "?queue=all"
    with CaptureQueriesContext(connection) as few:
        _csv_rows(client.get(url))

    # when 20 more appeals in other categories and units are added
    for n in range(20):
        appeal = desk.submit(now=at(2024, 3, 5, 8, n), category=LABOUR if n % 2 else SAFETY)
        if n % 2:
            desk.dispatch(appeal, to="lantian", now=at(2024, 3, 5))

    # then exporting all 23 rows takes no more queries
    with django_assert_max_num_queries(len(few)):
        rows = _csv_rows(client.get(url))
    assert len(rows) == 1 + 23


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?queue=to_dispatch",
        "?queue=all&category={labour}",
        "?queue=overdue",
        "?q={code}",
        "?queue=all&unit={county}",  # the export takes the subtree by holder ids
    ],
)
def test_the_export_holds_exactly_the_rows_the_queue_shows(
    three, desk, tree, login, operator, query
):
    # given the three appeals at the city, the wages one sent on to 芗城区
    desk.dispatch(three["wages"], to="xiangcheng", now=at(2024, 3, 4, 12))
    query = query.format(
        labour=three["wages"].category_id,
        code=three["wages"].code.lower(),
        county=tree["xiangcheng"].pk,
    )
    client = login(operator)

    # when the operator looks at a tab (with filters) and exports it
    shown = _codes(client.get(reverse("appeals:queue") + query).context["page"].rows)
    exported = _csv_rows(client.get(reverse("appeals:export", args=["csv"]) + query))

    # then the file holds the rows of the page, in its order
    assert [row[0] for row in exported[1:]] == shown


def test_csv_export_takes_the_list_filters(three, login, operator):
    # when the operator exports the list searched for 电梯
    response = login(operator).get(reverse("appeals:export", args=["csv"]) + "?queue=all&q=电梯")

    # then only the lift appeal is exported
    assert [row[0] for row in _csv_rows(response)[1:]] == [three["lift"].code]


def test_csv_export_holds_only_the_subtree(desk, login, county_leader):
    # given an appeal in 芝山街道, one in 蓝田街道 (龙文区) and one at the city
    own = desk.in_town(now=at(2024, 3, 4, 9))
    elsewhere = desk.submit(now=at(2024, 3, 4, 10))
    desk.dispatch(elsewhere, to="lantian", now=at(2024, 3, 4, 10))
    desk.submit(now=at(2024, 3, 4, 11))

    # when 芗城区's leader exports everything
    rows = _csv_rows(
        login(county_leader).get(reverse("appeals:export", args=["csv"]) + "?queue=all")
    )

    # then only 芗城区's appeal is in it
    assert [row[0] for row in rows[1:]] == [own.code]


def test_xlsx_export_opens_and_holds_the_rows(three, login, operator):
    # when the operator exports the full list as Excel
    response = login(operator).get(reverse("appeals:export", args=["xlsx"]) + "?queue=all")

    # then the workbook opens with a header and the three appeals, phones masked
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["诉求清单"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [row[0] for row in rows[1:]] == [three[k].code for k in ("wages", "fumes", "lift")]
    assert {row[HEADER.index("反映人电话")] for row in rows[1:]} == {"139****5678"}


def test_clerk_cannot_export(three, login, town_clerk):
    # when a town clerk asks for the export, then it is forbidden
    response = login(town_clerk).get(reverse("appeals:export", args=["csv"]) + "?queue=all")
    assert response.status_code == 403


def test_hyphenated_chinese_words_are_searched_as_words(three, login, operator):
    # when the operator searches for 电梯-停运
    listed = _listed(login(operator), "&q=电梯-停运")

    # then the lift appeal is found by its words
    assert listed == [three["lift"].code]


def test_the_callback_tab_is_for_those_who_call_back(desk, login, operator, town_clerk):
    # when the hotline operator and a street clerk open their queues
    operator_tabs = [q.key for q in login(operator).get("/staff/appeals/").context["queues"]]
    clerk_tabs = [q.key for q in login(town_clerk).get("/staff/appeals/").context["queues"]]

    # then only the operator, who calls citizens back, has 待回访
    assert "callback" in operator_tabs
    assert "callback" not in clerk_tabs and "in_hand" in clerk_tabs
