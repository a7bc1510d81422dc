"""The demo of 千名干部挂千企: enterprises of every county (the registry imported through
its workbook, as a county office would), cadres of the towns paired with them by their county
office, visits over the last four months (some cadres regular, some overdue — the sweep puts
them on the ladder), problems raised from visits into the appeal loop, and the benefits
ledger (part imported through its workbook). Walked through the real actions; nothing is
dated after today; loading twice changes nothing."""

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook

from shishi.core.validators import credit_code_check_char
from shishi.enterprises import actions, workbooks
from shishi.enterprises.models import COUNTY_KINDS, Benefit, Enterprise, Pairing, Problem, Visit
from shishi.orgs.demo import clerk_for, staff_of
from shishi.orgs.models import Role, Unit

# (county name, enterprise name, industry, size) — names in the style of the city's own.
ENTERPRISES = [
    ("芗城区", "漳州闽南食品有限公司", "C", "medium"),
    ("芗城区", "漳州市芗城区丹霞电子科技有限公司", "I", "small"),
    ("芗城区", "漳州九龙江商贸有限公司", "F", "small"),
    ("芗城区", "漳州古城文旅发展有限公司", "R", "medium"),
    ("龙文区", "漳州蓝田精密机械有限公司", "C", "medium"),
    ("龙文区", "漳州朝阳医疗器械有限公司", "C", "small"),
    ("龙文区", "漳州碧湖物流有限公司", "G", "small"),
    ("龙海区", "龙海石码五金制品有限公司", "C", "small"),
    ("龙海区", "漳州角美电器有限公司", "C", "large"),
    ("龙海区", "龙海市海澄建筑工程有限公司", "E", "medium"),
    ("长泰区", "长泰岩溪石材有限公司", "B", "small"),
    ("长泰区", "漳州长泰芦柑专业合作社", "A", "micro"),
    ("长泰区", "长泰县兴泰纺织有限公司", "C", "medium"),
    ("云霄县", "云霄县枇杷果业有限公司", "A", "small"),
    ("云霄县", "云霄漳江水产品加工有限公司", "C", "small"),
    ("漳浦县", "漳浦县佛昙水产养殖有限公司", "A", "small"),
    ("漳浦县", "漳浦台湾农民创业园花卉有限公司", "A", "medium"),
    ("漳浦县", "漳浦县旧镇新能源科技有限公司", "D", "medium"),
    ("诏安县", "诏安县四都青梅食品有限公司", "C", "small"),
    ("诏安县", "诏安金都海产品有限公司", "C", "micro"),
    ("东山县", "东山县海峡水产品加工有限公司", "C", "medium"),
    ("东山县", "东山岛风动旅游开发有限公司", "R", "small"),
    ("东山县", "东山县马銮湾玻璃制品有限公司", "C", "medium"),
    ("南靖县", "南靖县土楼文化旅游发展有限公司", "R", "medium"),
    ("南靖县", "南靖县山城兰花种植有限公司", "A", "small"),
    ("平和县", "平和县琯溪蜜柚专业合作社", "A", "small"),
    ("平和县", "平和县九峰茶业有限公司", "C", "micro"),
    ("平和县", "平和县小溪电商产业园运营有限公司", "L", "small"),
    ("华安县", "华安县铁观音茶业有限公司", "C", "small"),
    ("华安县", "华安县仙都玉石工艺品有限公司", "C", "micro"),
    ("华安县", "华安县九龙江水电有限公司", "D", "medium"),
]
CONTACTS = "陈林黄张李王吴刘蔡杨郑许谢洪郭曾邱"
TOPICS = [
    ("生产经营和订单情况", "原材料价格上涨，流动资金紧张"),
    ("用工需求", "春节后普工缺口约30人，技工难招"),
    ("项目建设进度", "新厂房消防验收排队时间较长"),
    ("惠企政策申报", "技改补助申报材料不清楚"),
    ("水电气保障", "厂区用电负荷不足，需要增容"),
    ("物流运输", "厂区门口道路破损，货车进出困难"),
    ("融资需求", "希望对接银行办理设备抵押贷款"),
    ("出口订单", ""),
    ("安全生产", ""),
]
POLICIES = {
    Benefit.Kind.FUNDS: ["工业企业技术改造专项补助", "稳岗返还", "规上工业企业增产增效奖励"],
    Benefit.Kind.TAX: ["增值税留抵退税", "小微企业“六税两费”减免", "研发费用加计扣除"],
    Benefit.Kind.FINANCING: ["“政银保”贷款贴息", "应急转贷资金"],
    Benefit.Kind.OTHER: ["人才住房补贴"],
}


def _credit_code(county: Unit, number: int) -> str:
    """A well-formed 统一社会信用代码 of the county (91: an enterprise; the county's division
    code; a made-up organisation code) with its GB 32100-2015 check character."""
    first = f"91{county.code[:6]}MA3{number:06d}"
    return first + credit_code_check_char(first)


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _registry_workbook(counties: dict[str, Unit]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = workbooks.ENTERPRISE_LAYOUT.sheet
    sheet.append(workbooks.ENTERPRISE_LAYOUT.headers)
    for number, (county, name, industry, size) in enumerate(ENTERPRISES, start=1):
        unit = counties[county]
        sheet.append(
            [
                _credit_code(unit, number),
                name,
                county,
                industry,
                dict(workbooks.Size.choices)[size],
                f"漳州市{county}工业路{number * 7}号",
                f"{CONTACTS[number % len(CONTACTS)]}经理",
                f"1390596{number:04d}",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _towns(county: Unit) -> list[Unit]:
    # 芝山街道 first: the demo login zs_clerk is one of 芗城区's paired cadres.
    return sorted(
        Unit.objects.filter(
            parent=county, kind__in=[Unit.Kind.TOWN, Unit.Kind.STREET], active=True
        ),
        key=lambda town: (town.name != "芝山街道", town.code),
    )[:3]


def load_demo() -> int:
    """Returns the enterprises registered (0 when the demo was loaded before)."""
    if Enterprise.objects.exists():
        return 0
    rng = random.Random(2021)
    today = timezone.localdate()
    counties = {u.name: u for u in Unit.objects.filter(kind__in=COUNTY_KINDS, parent__parent=None)}
    counties = {name: u for name, u in counties.items() if name in {e[0] for e in ENTERPRISES}}
    city = Unit.objects.get(parent=None)
    admin = staff_of(city, Role.CITY_ADMIN) or clerk_for(city)
    start = today - timedelta(days=120)
    # The city office imports the registry the counties handed in.
    workbooks.import_enterprises(
        actor=admin, data=_registry_workbook(counties), now=_moment(start - timedelta(days=5))
    )
    for county in counties.values():
        office = clerk_for(county)
        towns = _towns(county) or [county]
        cadres = [clerk_for(town) for town in towns]
        for index, enterprise in enumerate(Enterprise.objects.filter(county=county).order_by("pk")):
            cadre = cadres[index % len(cadres)]
            began = start + timedelta(days=index * 3)
            pairing = actions.pair_cadre(
                enterprise=enterprise,
                cadre=cadre.person,
                unit=cadre.unit,
                starts_on=began,
                actor=office,
                now=_moment(began, 9),
            )
            _visits(pairing, cadre, rng=rng, began=began, today=today, lazy=index % 4 == 3)
            _benefits(enterprise, office, rng=rng, today=today, count=rng.randint(1, 3))
    _benefit_import(admin, rng=rng, today=today)
    actions.sweep_visits(now=timezone.now())
    return Enterprise.objects.count()


def _visits(pairing: Pairing, cadre, *, rng: random.Random, began: date, today: date, lazy: bool):
    """A visit every 2–5 weeks from the start (a lazy cadre stops after the first); one in
    three visits that found a problem raises it into the appeal loop."""
    day = began + timedelta(days=rng.randint(2, 10))
    while day < today:
        topic, problem = rng.choice(TOPICS)
        visit = actions.record_visit(
            data=actions.VisitData(
                pairing=pairing,
                visited_on=day,
                form=rng.choice([Visit.Form.ON_SITE] * 3 + [Visit.Form.PHONE, Visit.Form.MEETING]),
                discussed=f"了解企业{topic}，宣讲惠企政策。",
                problems=problem,
            ),
            actor=cadre,
            now=_moment(day, 16),
        )
        if problem and rng.random() < 0.35:
            actions.raise_problem(
                enterprise=pairing.enterprise,
                visit=visit,
                data=actions.ProblemData(
                    content=f"{pairing.enterprise.name}反映：{problem}，请协调解决。",
                    title=problem[:20],
                ),
                actor=cadre,
                now=_moment(day, 17),
            )
        if lazy:
            return
        day += timedelta(days=rng.randint(14, 35))


def _amount(rng: random.Random, kind: str) -> Decimal:
    scale = {"funds": 3_000_000, "tax": 12_000_000, "financing": 20_000_000, "other": 200_000}[kind]
    return Decimal(rng.randint(scale // 50, scale) * 100 + rng.randint(0, 99)) / 100


def _benefits(enterprise: Enterprise, office, *, rng: random.Random, today: date, count: int):
    for _ in range(count):
        kind = rng.choice([Benefit.Kind.FUNDS, Benefit.Kind.TAX, Benefit.Kind.TAX])
        granted = today - timedelta(days=rng.randint(1, 110))
        actions.record_benefit(
            data=actions.BenefitData(
                enterprise=enterprise,
                kind=kind,
                policy=rng.choice(POLICIES[kind]),
                amount=_amount(rng, kind),
                granted_on=granted,
            ),
            actor=office,
            now=_moment(granted, 15),
        )


def _benefit_import(admin, *, rng: random.Random, today: date) -> None:
    """The city office's quarterly financing and subsidy sheet, through the workbook."""
    book = Workbook()
    sheet = book.active
    sheet.title = workbooks.BENEFIT_LAYOUT.sheet
    sheet.append(workbooks.BENEFIT_LAYOUT.headers)
    for enterprise in Enterprise.objects.order_by("pk")[::3]:
        kind = rng.choice([Benefit.Kind.FINANCING, Benefit.Kind.OTHER])
        sheet.append(
            [
                enterprise.credit_code,
                enterprise.name,
                kind.label,
                rng.choice(POLICIES[kind]),
                str(_amount(rng, kind)),
                (today - timedelta(days=rng.randint(1, 60))).isoformat(),
                "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    workbooks.import_benefits(actor=admin, data=buffer.getvalue(), now=timezone.now())


def demo_summary() -> str:
    made = load_demo()
    if not made:
        return f"已有 {Enterprise.objects.count()} 家企业，未重复载入"
    overdue = Pairing.objects.filter(ends_on__isnull=True, supervision__gt=0).count()
    total = sum(Benefit.objects.values_list("amount", flat=True), Decimal("0"))
    return (
        f"企业 {made} 家（{Pairing.objects.filter(ends_on__isnull=True).count()} 家已挂钩），"
        f"走访 {Visit.objects.count()} 次，企业诉求 {Problem.objects.count()} 件，"
        f"惠企兑现 {Benefit.objects.count()} 笔共 {total / 10000:,.2f} 万元；"
        f"{overdue} 名挂钩干部超期未走访在督办中"
    )
