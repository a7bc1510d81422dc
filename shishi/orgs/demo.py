"""The demo city: Zhangzhou's real divisions, typical departments, party organisations and
one login per role. Loading is idempotent: existing rows are left as they are."""

import functools
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from shishi.orgs import actions
from shishi.orgs.access import Actor
from shishi.orgs.actions import create_person
from shishi.orgs.models import Membership, Person, Role, Unit

DIVISIONS_CSV = Path(__file__).parent / "fixtures" / "zhangzhou_divisions.csv"
DEMO_PASSWORD = "Zhangzhou@2026"
CITY = "350600000000"
XIANGCHENG = "350602000000"
ZHISHAN = "350602007000"

CITY_DEPARTMENTS = [
    ("D00", "市“我为群众办实事”实践活动领导小组办公室"),
    ("D01", "市12345政务服务便民热线中心"),
    ("D02", "市住房和城乡建设局"),
    ("D03", "市生态环境局"),
    ("D04", "市交通运输局"),
    ("D05", "市教育局"),
    ("D06", "市人力资源和社会保障局"),
    ("D07", "市商务局"),
    ("D08", "市文化和旅游局"),
    ("D09", "市卫生健康委员会"),
    ("D10", "市民政局"),
    ("D11", "市农业农村局"),
    ("D12", "市市场监督管理局"),
    ("D13", "市城市管理局"),
    ("D14", "市自然资源局"),
    ("D15", "市水利局"),
    ("D16", "市公安局"),
    ("D17", "市发展和改革委员会"),
    ("D18", "市工业和信息化局"),
    ("D19", "市财政局"),
    ("D20", "市医疗保障局"),
    ("D21", "市应急管理局"),
    ("D22", "市人民政府台港澳事务办公室"),
    ("D23", "市数据管理局"),
]
XIANGCHENG_DEPARTMENTS = [
    ("D02", "芗城区住房和城乡建设局"),
    ("D05", "芗城区教育局"),
    ("D10", "芗城区民政局"),
    ("D13", "芗城区城市管理局"),
    ("D12", "芗城区市场监督管理局"),
]
ZHISHAN_COMMUNITIES = ["芝山社区", "大坪社区", "锦华社区", "澄观社区", "北京社区"]


def _unit_rows() -> list[dict[str, str]]:
    rows = [
        {"code": f"350600-{suffix}", "name": name, "kind": "department", "parent_code": CITY}
        for suffix, name in CITY_DEPARTMENTS
    ]
    rows += [
        {"code": f"350602-{suffix}", "name": name, "kind": "department", "parent_code": XIANGCHENG}
        for suffix, name in XIANGCHENG_DEPARTMENTS
    ]
    rows += [
        {"code": f"{ZHISHAN[:9]}{n:03d}", "name": name, "kind": "village", "parent_code": ZHISHAN}
        for n, name in enumerate(ZHISHAN_COMMUNITIES, start=1)
    ]
    party = [
        ("350600-P01", "中共漳州市委员会", "party_committee", CITY),
        ("350602-P01", "中共漳州市芗城区委员会", "party_committee", XIANGCHENG),
        ("350602007-P1", "中共芝山街道工作委员会", "party_committee", ZHISHAN),
        ("350602007-P2", "芝山街道机关党总支", "party_general_branch", "350602007-P1"),
        ("350602007-P3", "芝山街道机关第一党支部", "party_branch", "350602007-P2"),
        ("350602007-P4", "芝山社区党支部", "party_branch", "350602007-P1"),
        ("350600-D02-P1", "中共漳州市住房和城乡建设局党组", "party_group", "350600-D02"),
        ("350600-D02-P2", "市住房和城乡建设局机关党委", "party_committee", "350600-D02"),
        ("350600-D02-P3", "市住建局机关第一党支部", "party_branch", "350600-D02-P2"),
        ("350600-D02-P4", "市住建局机关第二党支部", "party_branch", "350600-D02-P2"),
    ]
    party += _more_party_organisations({code for code, *_ in party})
    rows += [
        {"code": code, "name": name, "kind": kind, "parent_code": parent}
        for code, name, kind, parent in party
    ]
    return rows


# Counties whose streets and towns get a party (working) committee with two branches, so a
# directive to every party organisation reaches three levels in more than one county.
PARTY_COUNTIES = ("350602000000", "350603000000")


@functools.cache
def _divisions() -> list[dict[str, str]]:
    return actions.read_unit_csv(DIVISIONS_CSV.read_bytes())


def _more_party_organisations(have: set[str]) -> list[tuple[str, str, str, str]]:
    """A party committee for each county-level division; in `PARTY_COUNTIES`, each street's
    工作委员会 (each town's 委员会) with its 机关党支部 and 非公企业联合党支部."""
    made = []
    for row in _divisions():
        if row["parent_code"] == CITY:
            code = f"{row['code'][:6]}-P01"
            prefix = "漳州市" if row["kind"] == Unit.Kind.DISTRICT else ""
            if code not in have:
                made.append(
                    (code, f"中共{prefix}{row['name']}委员会", "party_committee", row["code"])
                )
        elif row["parent_code"] in PARTY_COUNTIES and row["kind"] in ("street", "town"):
            base = row["code"][:9]
            if f"{base}-P1" in have:
                continue  # 芝山街道 has its own above
            committee = "工作委员会" if row["kind"] == "street" else "委员会"
            made += [
                (f"{base}-P1", f"中共{row['name']}{committee}", "party_committee", row["code"]),
                (f"{base}-P2", f"{row['name']}机关党支部", "party_branch", f"{base}-P1"),
                (f"{base}-P3", f"{row['name']}非公企业联合党支部", "party_branch", f"{base}-P1"),
            ]
    return made


# username, name, title, phone, [(unit code, role)]
DEMO_PEOPLE = [
    ("admin", "林晓东", "市委督查室主任", "13805961001", [(CITY, Role.CITY_ADMIN)]),
    ("operator", "郑雅琴", "12345热线受理员", "13805961002", [(CITY, Role.OPERATOR)]),
    ("supervisor", "吴志强", "市委督查室督查专员", "13805961003", [(CITY, Role.SUPERVISOR)]),
    ("guide", "蔡文斌", "第一巡回指导组成员", "13805961004", [(CITY, Role.GUIDANCE_MEMBER)]),
    ("auditor", "许美玲", "市纪委监委派驻审计员", "13805961005", [(CITY, Role.AUDITOR)]),
    ("xc_leader", "陈建华", "芗城区委办副主任", "13805961006", [(XIANGCHENG, Role.UNIT_LEADER)]),
    ("zs_leader", "杨春梅", "芝山街道党工委副书记", "13805961007", [(ZHISHAN, Role.UNIT_LEADER)]),
    ("zs_clerk", "黄丽娟", "芝山街道党政办干部", "13805961008", [(ZHISHAN, Role.UNIT_CLERK)]),
    (
        "xq_clerk",
        "李国栋",
        "西桥街道党政办干部",
        "13805961009",
        [("350602002000", Role.UNIT_CLERK)],
    ),
    ("zj_leader", "王海峰", "市住建局副局长", "13805961010", [("350600-D02", Role.UNIT_LEADER)]),
    (
        "zj_clerk",
        "张燕",
        "市住建局办公室科员",
        "13805961011",
        [("350600-D02", Role.UNIT_CLERK), ("350600-D02-P2", Role.UNIT_CLERK)],
    ),
]


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Load the demo organisation; returns (username, name, where and role) per demo login."""
    if not Unit.objects.filter(code=CITY).exists():
        actions.import_units(actor=None, rows=_divisions())
    actions.import_units(
        actor=None,
        rows=[r for r in _unit_rows() if not Unit.objects.filter(code=r["code"]).exists()],
    )
    units = {u.code: u for u in Unit.objects.all()}
    logins = []
    for username, name, title, phone, roles in DEMO_PEOPLE:
        person = Person.objects.filter(username=username).first()
        if person is None:
            (first_unit, first_role), *more = roles
            person = actions.create_person(
                actor=None,
                username=username,
                name=name,
                phone=phone,
                title=title,
                password=DEMO_PASSWORD,
                unit=units[first_unit],
                role=first_role,
            )
            for code, role in more:
                actions.grant_role(actor=None, person=person, unit=units[code], role=role)
        if username == "admin" and not person.is_superuser:
            person.is_superuser = person.is_staff = True
            person.save(update_fields=["is_superuser", "is_staff"])
        where = "；".join(f"{units[code].name}·{Role(role).label}" for code, role in roles)
        logins.append((username, name, where))
    return logins


def demo_summary() -> str:
    """Load the organisation and describe the demo logins (printed by `shishi demo`)."""
    logins = load_demo()
    lines = [f"{Unit.objects.count()} 个单位。演示账号（密码均为 {DEMO_PASSWORD}）："]
    lines += [f"    {username:<11} {name}  {where}" for username, name, where in logins]
    if settings.TOTP_ENFORCE:
        roles = "、".join(Role(r).label for r in settings.TOTP_REQUIRED_ROLES if r in Role.values)
        lines.append(
            f"动态验证码已开启：{roles}及 admin 首次登录时用身份验证器 App 扫码绑定"
            "（仅限演示可用 SHISHI_TOTP_ENFORCE=0 关闭）"
        )
    else:
        lines.append("动态验证码已关闭（SHISHI_TOTP_ENFORCE=0，仅限演示；生产环境默认开启）")
    return "\n".join(lines)


# --- Demo accounts the other modules' demos act through -----------------------------------


def staff_of(unit: Unit, role: str) -> Actor | None:
    membership = (
        Membership.objects.filter(unit=unit, role=role).select_related("person", "unit").first()
    )
    return Actor(person=membership.person, membership=membership) if membership else None


SURNAMES = "陈林黄张李王吴刘蔡杨郑许谢洪郭曾邱赖周叶苏庄吕江何卢"
GIVEN = [
    "志明",
    "雅婷",
    "建华",
    "丽娟",
    "国栋",
    "晓燕",
    "文斌",
    "美玲",
    "海峰",
    "春梅",
    "少伟",
    "秀英",
    "俊杰",
    "惠珍",
    "明辉",
    "淑芬",
    "振宇",
    "丽华",
    "永福",
    "静怡",
]


@functools.cache
def demo_hash() -> str:
    """The demo password, hashed once (demo accounts made on the way share it)."""
    return make_password(DEMO_PASSWORD)


def clerk_for(unit: Unit) -> Actor:
    """The unit's clerk (or leader); units without one get a demo clerk account
    `clerk_<unit code>` so every handling unit acts as itself."""
    for role in (Role.UNIT_CLERK, Role.UNIT_LEADER):
        actor = staff_of(unit, role)
        if actor:
            return actor
    # Distinct names: the n-th demo clerk takes the n-th surname and given-name pair.
    number = Person.objects.filter(username__startswith="clerk_").count()
    create_person(
        actor=None,
        username=f"clerk_{unit.code}",
        name=SURNAMES[number % len(SURNAMES)] + GIVEN[number // len(SURNAMES) % len(GIVEN)],
        phone="",
        title=f"{unit.name}经办人",
        password="",
        password_hash=demo_hash(),
        unit=unit,
        role=Role.UNIT_CLERK,
    )
    return staff_of(unit, Role.UNIT_CLERK)
