from django import forms

from shishi.core.forms import FilterForm, QuickSelect, StyledForm
from shishi.core.uploads import MultipleImageField
from shishi.core.validators import MobileField
from shishi.orgs.models import Unit
from shishi.sites.models import Booking, Site


def day_input() -> forms.DateInput:
    """<input type=date>: its value must be ISO (2026-07-01) whatever the locale's format, or
    the browser shows the field empty (改期 and 闭馆 fill in a day)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SiteFilterForm(FilterForm):
    county = forms.IntegerField(label="所在县区", min_value=1)
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *Site.Kind.choices])
    q = forms.CharField(label="名称或地址", max_length=50)
    sort = forms.ChoiceField(
        label="排序",
        choices=[
            ("name", "按县区、名称"),
            ("capacity", "接待量大的在前"),
            ("bookings", "待参观预约多的在前"),
        ],
        initial="name",
    )


class BookingFilterForm(FilterForm):
    """Without parameters: visits from `today` on (clear 参观日期自 for the history)."""

    site = forms.IntegerField(label="参访点", min_value=1)
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *Booking.Status.choices])
    start = forms.DateField(label="参观日期自")
    end = forms.DateField(label="参观日期至")
    q = forms.CharField(label="预约号、单位或联系人", max_length=50)
    sort = forms.ChoiceField(
        label="排序",
        choices=[
            ("day", "参观日期（近的在前）"),
            ("-day", "参观日期（远的在前）"),
            ("booked", "预约时间（新的在前）"),
            ("headcount", "人数（多的在前）"),
        ],
        initial="day",
    )

    def __init__(self, params, *, today=None):
        super().__init__(params)
        self.fields["start"].initial = today


class VisitorForm(StyledForm):
    """The group and its contact, shared by the public and the staff booking forms."""

    organisation = forms.CharField(label="单位（团体）名称", max_length=100)
    contact_name = forms.CharField(label="联系人", max_length=30)
    contact_phone = MobileField(
        label="联系人手机", help_text="预约结果、取消通知以短信发送到此号码"
    )
    headcount = forms.IntegerField(label="参观人数", min_value=1, max_value=1000)


class SlotChoiceMixin(forms.Form):
    day = forms.DateField(label="参观日期", widget=day_input())
    start = forms.TimeField(
        label="时段",
        widget=forms.Select(),
        help_text="可在余量表中点选有余量的时段，自动填入日期和时段",
    )

    def set_starts(self, site: Site) -> None:
        self.fields["start"].widget.choices = [
            (f"{start:%H:%M}", f"{start:%H:%M}–{site.slot_end(start):%H:%M}")
            for start in site.slot_starts()
        ]


class PublicBookingForm(VisitorForm, SlotChoiceMixin):
    otp = forms.CharField(label="短信验证码", max_length=6, min_length=6)
    field_order = [
        "day",
        "start",
        "headcount",
        "organisation",
        "contact_name",
        "contact_phone",
        "otp",
    ]


class PublicRouteForm(VisitorForm):
    day = forms.DateField(
        label="出发日期（第1天）",
        widget=day_input(),
        help_text="多日线路的第2天、第3天依次顺延",
    )
    otp = forms.CharField(label="短信验证码", max_length=6, min_length=6)
    field_order = ["day", "headcount", "organisation", "contact_name", "contact_phone", "otp"]


class StaffBookingForm(VisitorForm, SlotChoiceMixin):
    unit = forms.ModelChoiceField(
        label="预约单位",
        queryset=Unit.objects.none(),
        widget=QuickSelect(attrs={"data-searchable": "输入单位名称筛选"}),
    )
    field_order = [
        "unit",
        "day",
        "start",
        "headcount",
        "organisation",
        "contact_name",
        "contact_phone",
    ]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")


class RescheduleForm(StyledForm, SlotChoiceMixin):
    """改期: another day and slot of the same site."""


WEEKDAY_CHOICES = [(str(d), f"周{'一二三四五六日'[d - 1]}") for d in range(1, 8)]


class SiteForm(StyledForm):
    name = forms.CharField(label="参访点名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=Site.Kind.choices)
    unit = forms.ModelChoiceField(
        label="管理单位",
        queryset=Unit.objects.none(),
        help_text="负责接待、闭馆安排和签到的单位（县区或其下级）",
        widget=QuickSelect(attrs={"data-searchable": "输入单位名称筛选"}),
    )
    address = forms.CharField(label="地址", max_length=200)
    latitude = forms.DecimalField(
        label="纬度", max_digits=9, decimal_places=6, help_text="WGS84（GPS）坐标，如 24.522800"
    )
    longitude = forms.DecimalField(
        label="经度", max_digits=9, decimal_places=6, help_text="如 117.652000"
    )
    capacity = forms.IntegerField(label="每时段接待人数", min_value=1, max_value=5000)
    open_days = forms.MultipleChoiceField(
        label="开放日", choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.TimeField(label="开放时间", widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(label="闭馆时间", widget=forms.TimeInput(attrs={"type": "time"}))
    slot_minutes = forms.IntegerField(label="每时段分钟数", min_value=15, max_value=480, initial=60)
    description = forms.CharField(
        label="简介", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    active = forms.BooleanField(label="开放预约", required=False, initial=True)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")

    @staticmethod
    def initial_of(site: Site) -> dict:
        names = [f for f in SiteForm.base_fields if f != "open_days"]
        return {**{f: getattr(site, f) for f in names}, "open_days": list(site.open_days)}


class PhotoForm(StyledForm):
    photos = MultipleImageField(
        label="照片", max_count=6, required=True, help_text="JPG 或 PNG，一次最多6张"
    )


class StaffRouteForm(VisitorForm):
    unit = forms.ModelChoiceField(
        label="预约单位",
        queryset=Unit.objects.none(),
        widget=QuickSelect(attrs={"data-searchable": "输入单位名称筛选"}),
    )
    day = forms.DateField(
        label="出发日期（第1天）",
        widget=day_input(),
        help_text="多日线路的第2天、第3天依次顺延",
    )
    field_order = ["unit", "day", "headcount", "organisation", "contact_name", "contact_phone"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")


class CancelForm(StyledForm):
    reason = forms.CharField(label="取消原因", max_length=200)


class RejectForm(StyledForm):
    reason = forms.CharField(
        label="退回原因",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="将短信告知预约人，并显示在其电子票页面",
    )


class CheckInForm(StyledForm):
    ticket = forms.CharField(
        label="票据",
        max_length=400,
        help_text="扫描电子票二维码，或输入预约号（如 ZZCF20260701-00001）",
    )
    arrived = forms.IntegerField(label="实到人数", min_value=1, max_value=1000, required=False)


class ClosureForm(StyledForm):
    start = forms.DateField(label="闭馆开始日期", widget=day_input())
    end = forms.DateField(label="闭馆结束日期", widget=day_input())
    reason = forms.CharField(label="闭馆原因", max_length=100, help_text="如：展陈改造、设备检修")


class FindBookingForm(StyledForm):
    code = forms.CharField(label="预约号", max_length=30)
    phone_tail = forms.CharField(label="联系人手机后4位", min_length=4, max_length=4)
