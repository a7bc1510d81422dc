"""The city's services as Open311 sees them, and a request as an appeal.

A service is a leaf category (`service_code`: its id, as a string). Every service asks the
same attributes, because every appeal needs them: `kind` (咨询/求助/投诉/建议, which sets the
handling clock) is required; the county, a title and an enterprise's name are optional.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils import timezone

from shishi.api.open311 import geo
from shishi.appeals.actions import Submission
from shishi.appeals.forms import SubmissionForm
from shishi.appeals.models import FINAL_STATUSES, Appeal, Category, Channel, Kind
from shishi.orgs.queries import public_divisions

# GeoReport v2: "description … may be up to 4,000 characters"
DESCRIPTION_MAX = 4000
MEDIA_URL_MAX = 500


@dataclass(frozen=True)
class Attribute:
    code: str
    description: str
    datatype: str  # string | number | datetime | text | singlevaluelist | multivaluelist
    required: bool
    order: int
    datatype_description: str = ""
    values: Callable[[], list[tuple[str, str]]] | None = None

    def definition(self) -> dict:
        described = {
            "variable": True,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": self.datatype_description,
            "order": self.order,
            "description": self.description,
        }
        if self.values is not None:
            described["values"] = [{"key": k, "name": n} for k, n in self.values()]
        return described


ATTRIBUTES = [
    Attribute(
        "kind",
        "诉求类型",
        "singlevaluelist",
        required=True,
        order=1,
        datatype_description="决定办理时限：咨询、求助、投诉或建议",
        values=lambda: list(Kind.choices),
    ),
    Attribute(
        "county",
        "所在县（区）",
        "singlevaluelist",
        required=False,
        order=2,
        datatype_description="12位区划代码",
        values=lambda: [(u.code, u.name) for u in public_divisions()],
    ),
    Attribute("title", "标题（不填取描述的第一句）", "string", required=False, order=3),
    Attribute(
        "enterprise_name", "企业名称（企业反映问题时填写）", "string", required=False, order=4
    ),
]
BY_CODE = {a.code: a for a in ATTRIBUTES}


def service(category: Category) -> dict:
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": category.full_name,
        "metadata": bool(ATTRIBUTES),
        "type": "realtime",
        "keywords": "",
        "group": category.full_name.split("/")[0],
    }


def definition(category: Category) -> dict:
    return {
        "service_code": str(category.pk),
        "attributes": [a.definition() for a in ATTRIBUTES],
    }


# --- A request in, as a submission ---------------------------------------------------------------


def submission(params: QueryDict, *, category: Category) -> tuple[Submission | None, list[str]]:
    """The appeal a POSTed request describes, or the reasons it cannot be taken."""
    refused: list[str] = []  # what is wrong, one line each
    answers = _attributes(params, refused)
    description = params.get("description", "")
    if len(description) > DESCRIPTION_MAX:
        refused.append(
            f"description 最长{DESCRIPTION_MAX}字（GeoReport v2 的上限），现为{len(description)}字"
        )
    place = _place(params, refused)
    lat, lng = _coordinates(params, refused)
    content = description + _media_line(params, refused)
    name = " ".join(p for p in (params.get("last_name", ""), params.get("first_name", "")) if p)
    county = answers.get("county", "")
    form = SubmissionForm(
        data={
            "kind": answers.get("kind", ""),
            "category": category.pk,
            "title": answers.get("title", ""),
            "content": content,
            "county": _division_id(county, refused) if county else "",
            "place": place,
            "lat": lat if lat is not None else "",
            "lng": lng if lng is not None else "",
            "reporter_name": name,
            "reporter_phone": params.get("phone", ""),
            "enterprise_name": answers.get("enterprise_name", ""),
        }
    )
    if not form.is_valid():
        for name_, errors in form.errors.items():
            refused.append(f"{OPEN311_NAMES.get(name_, name_)}：{'；'.join(errors)}")
    if refused:
        return None, refused
    data = form.cleaned_data
    return (
        Submission(
            channel=Channel.OPEN311,
            kind=data["kind"],
            category=category,
            content=data["content"],
            reporter_phone=data["reporter_phone"],
            title=data["title"],
            place=data["place"],
            lat=data["lat"],
            lng=data["lng"],
            county=data["county"],
            town=data["town"],
            reporter_name=data["reporter_name"],
            enterprise_name=data["enterprise_name"],
        ),
        [],
    )


# The form's field names as a client of the specification knows them.
OPEN311_NAMES = {
    "content": "description",
    "reporter_phone": "phone",
    "reporter_name": "first_name/last_name",
    "place": "address_string",
    "lat": "lat",
    "lng": "long",
    "kind": "attribute[kind]",
    "county": "attribute[county]",
    "title": "attribute[title]",
    "enterprise_name": "attribute[enterprise_name]",
}


def _attributes(params: QueryDict, refused: list[str]) -> dict[str, str]:
    answers = {}
    for key in params:
        if not (key.startswith("attribute[") and key.endswith("]")):
            continue
        code = key[len("attribute[") : -1]
        if code not in BY_CODE:
            refused.append(f"{key}：该服务没有此属性")
            continue
        answers[code] = params.get(key, "").strip()
    for attribute in ATTRIBUTES:
        given = answers.get(attribute.code, "")
        if attribute.required and not given:
            refused.append(f"attribute[{attribute.code}]：必填（{attribute.description}）")
        elif given and attribute.values is not None and given not in dict(attribute.values()):
            refused.append(f"attribute[{attribute.code}]：取值“{given}”不在服务定义的可选值中")
    return answers


def _place(params: QueryDict, refused: list[str]) -> str:
    address = params.get("address_string", "").strip()
    address_id = params.get("address_id", "").strip()
    located = params.get("lat", "").strip() and params.get("long", "").strip()
    if not (address or address_id or located):
        refused.append("需要位置：lat 与 long、address_string 或 address_id 至少提供一项")
    return address or (f"地址编号 {address_id}" if address_id else "")


def _coordinates(params: QueryDict, refused: list[str]) -> tuple[Decimal | None, Decimal | None]:
    lat, lng = params.get("lat", "").strip(), params.get("long", "").strip()
    if not (lat and lng):
        if lat or lng:
            refused.append("lat 与 long 须同时提供")
        return None, None
    try:
        return geo.to_wgs84(Decimal(lat), Decimal(lng), params.get("coordinate_system", geo.WGS84))
    except geo.UnknownSystem:
        refused.append("coordinate_system 只能是 wgs84、gcj02 或 bd09")
    except (InvalidOperation, ValueError):
        refused.append("lat/long 应为十进制度数")
    return None, None


def _media_line(params: QueryDict, refused: list[str]) -> str:
    """A photo the client keeps (`media_url`) is not fetched; its link goes with the text."""
    url = params.get("media_url", "").strip()
    if not url:
        return ""
    try:
        if len(url) > MEDIA_URL_MAX:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        refused.append(f"media_url 应为不超过{MEDIA_URL_MAX}字符的 http(s) 链接")
        return ""
    return f"\n\n照片链接：{url}"


def _division_id(code: str, refused: list[str]) -> int | str:
    found = next((u.pk for u in public_divisions() if u.code == code), None)
    if found is None:
        refused.append(f"attribute[county]：区划代码“{code}”不存在")
        return ""
    return found


# --- An appeal out, as a request -----------------------------------------------------------------


def stamp(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset, in the city's time: 2026-12-02T09:30:00+08:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def request(appeal: Appeal) -> dict:
    """`appeal` from `appeals.queries.with_last_change`."""
    closed = appeal.status in FINAL_STATUSES
    notes = appeal.get_status_display()
    if appeal.reply_kind:
        notes += f"（{appeal.get_reply_kind_display()}）"
    expected = None
    if appeal.handle_due and not closed:
        end_of_day = datetime.combine(appeal.handle_due, time(23, 59, 59))
        expected = stamp(timezone.make_aware(end_of_day))
    return {
        "service_request_id": appeal.code,
        "status": "closed" if closed else "open",
        "status_notes": notes,
        "service_name": appeal.category.name,
        "service_code": str(appeal.category_id),
        "description": appeal.content,
        "agency_responsible": appeal.holder.name,
        "service_notice": "",
        "requested_datetime": stamp(appeal.received_at),
        "updated_datetime": stamp(appeal.last_change or appeal.received_at),
        "expected_datetime": expected,
        "address": appeal.place,
        "address_id": None,
        "zipcode": None,
        "lat": float(appeal.lat) if appeal.lat is not None else None,
        "long": float(appeal.lng) if appeal.lng is not None else None,
        "media_url": None,
    }


def received_notice(appeal: Appeal) -> str:
    due = appeal.dispatch_due
    when = f"，将于{due:%Y年%m月%d日}前派至承办单位办理" if due else ""
    return f"已受理，受理编号 {appeal.code}{when}"


def window(start: datetime | None, end: datetime | None, *, now: datetime) -> tuple:
    """GET requests' period: default the last 90 days; never wider than 90 days."""
    span = timedelta(days=settings.OPEN311_WINDOW_DAYS)
    if start is None and end is None:
        end = now
    if start is None:
        start = end - span
    if end is None:
        end = start + span
    return start, end
