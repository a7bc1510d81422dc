"""红色教育参访 — red-education sites (参访点), routes (线路) of sites over one or more days,
the time slots of a site's days, and visit bookings (批次) with check-in at the site.

A site belongs to a unit (管理单位: the county, or a unit under it); that unit's staff manage
its closures, see its bookings and check visitors in. Seats are held per slot: a `Slot` row
per site, day and start time, created by the first booking, counts the seats taken; the
database refuses more than the slot's capacity (`slot_within_capacity`), and bookings lock
the row (select_for_update) before they count."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from shishi.core.models import EventBase
from shishi.orgs.models import Unit

WEEKDAYS = "一二三四五六日"  # ISO weekday 1..7 -> 周一..周日


class Site(models.Model):
    """参访点 — a memorial hall, former revolutionary site, martyrs' cemetery … that receives
    booked group visits."""

    class Kind(models.TextChoices):
        MEMORIAL = "memorial", "纪念馆"
        EXHIBITION = "exhibition", "陈列馆"
        FORMER_SITE = "former_site", "革命旧址"
        BATTLE_SITE = "battle_site", "战斗遗址"
        RESIDENCE = "residence", "名人故居"
        CEMETERY = "cemetery", "烈士陵园"
        MONUMENT = "monument", "纪念碑（亭）"
        BASE = "base", "教育基地"

    name = models.CharField("参访点名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind)
    county = models.ForeignKey(
        Unit, verbose_name="所在县区", on_delete=models.PROTECT, related_name="+"
    )
    # Whose staff run it (bookings, closures, check-in): the county or a unit under it.
    unit = models.ForeignKey(
        Unit, verbose_name="管理单位", on_delete=models.PROTECT, related_name="red_sites"
    )
    address = models.CharField("地址", max_length=200)
    # WGS84, as GPS and OpenStreetMap have it (not the GCJ-02 of Chinese map apps).
    latitude = models.DecimalField("纬度（WGS84）", max_digits=9, decimal_places=6)
    longitude = models.DecimalField("经度（WGS84）", max_digits=9, decimal_places=6)
    capacity = models.PositiveIntegerField("每时段接待人数")
    # ISO weekdays it opens, as digits: "234567" = 周二至周日 (closed on Mondays).
    open_days = models.CharField("开放日", max_length=7, default="234567")
    opens_at = models.TimeField("开放时间", default=time(9))
    closes_at = models.TimeField("闭馆时间", default=time(17))
    slot_minutes = models.PositiveSmallIntegerField("每时段分钟数", default=60)
    description = models.TextField("简介", blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    active = models.BooleanField("开放预约", default=True)

    class Meta:
        verbose_name = "参访点"
        verbose_name_plural = "参访点"
        ordering = ["county__path", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="site_capacity_positive"),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=15), name="site_slot_at_least_15_minutes"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="site_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="site_location_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def slot_starts(self) -> list[time]:
        """The start of every slot of an open day: from opening, each `slot_minutes`, while
        the slot ends by closing time."""
        day = date(2000, 1, 3)
        start = datetime.combine(day, self.opens_at)
        end = datetime.combine(day, self.closes_at)
        step = timedelta(minutes=self.slot_minutes)
        starts = []
        while start + step <= end:
            starts.append(start.time())
            start += step
        return starts

    def slot_end(self, start: time) -> time:
        return (
            datetime.combine(date(2000, 1, 3), start) + timedelta(minutes=self.slot_minutes)
        ).time()

    def opens_on_weekday(self, day: date) -> bool:
        return str(day.isoweekday()) in self.open_days

    @property
    def open_days_text(self) -> str:
        """每周二至周日 / 每周一、三、五 — how the opening days read."""
        days = sorted({int(d) for d in self.open_days if d in "1234567"})
        if not days:
            return "暂不开放"
        if len(days) == 7:
            return "每天"
        if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            return f"每周{WEEKDAYS[days[0] - 1]}至周{WEEKDAYS[days[-1] - 1]}"
        return "每周" + "、".join(WEEKDAYS[d - 1] for d in days)

    @property
    def hours_text(self) -> str:
        return f"{self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


def photo_path(instance: "SitePhoto", filename: str) -> str:
    return f"sites/{instance.site_id}/{filename}"


class SitePhoto(models.Model):
    """参访点照片 — shown on the site's public page (checked images only)."""

    site = models.ForeignKey(
        Site, verbose_name="参访点", on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(upload_to=photo_path)
    name = models.CharField("文件名", max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "参访点照片"
        verbose_name_plural = "参访点照片"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Closure(models.Model):
    """闭馆 — days a site receives no visits (renovation, a holiday), with the reason
    bookers are told."""

    site = models.ForeignKey(
        Site, verbose_name="参访点", on_delete=models.CASCADE, related_name="closures"
    )
    start = models.DateField("闭馆开始日期")
    end = models.DateField("闭馆结束日期")
    reason = models.CharField("闭馆原因", max_length=100)

    class Meta:
        verbose_name = "闭馆安排"
        verbose_name_plural = "闭馆安排"
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="closure_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site.name} {self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"


class Route(models.Model):
    """线路 — red-education sites visited in order over one or more days."""

    name = models.CharField("线路名称", max_length=100, unique=True)
    description = models.TextField("简介", blank=True)

    class Meta:
        verbose_name = "线路"
        verbose_name_plural = "线路"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RouteStop(models.Model):
    """A site on a route: which day of the route, and its place in that day."""

    route = models.ForeignKey(
        Route, verbose_name="线路", on_delete=models.CASCADE, related_name="stops"
    )
    site = models.ForeignKey(
        Site, verbose_name="参访点", on_delete=models.PROTECT, related_name="route_stops"
    )
    day = models.PositiveSmallIntegerField("第几天")
    order = models.PositiveSmallIntegerField("当天顺序")

    class Meta:
        verbose_name = "线路站点"
        verbose_name_plural = "线路站点"
        ordering = ["route", "day", "order"]
        constraints = [
            models.UniqueConstraint(fields=["route", "day", "order"], name="route_stop_unique"),
            models.CheckConstraint(
                condition=Q(day__gte=1) & Q(order__gte=1), name="route_stop_counts_from_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route.name} 第{self.day}天 {self.order}. {self.site.name}"


class Slot(models.Model):
    """时段 — the seats of one site's slot on one day. Created by the slot's first booking
    with the site's capacity then; `booked` counts the seats held by bookings neither
    cancelled nor rejected.
    The database refuses `booked` above `capacity` whatever the code does."""

    site = models.ForeignKey(
        Site, verbose_name="参访点", on_delete=models.CASCADE, related_name="slots"
    )
    day = models.DateField("日期")
    start = models.TimeField("开始时间")
    capacity = models.PositiveIntegerField("可接待人数")
    booked = models.PositiveIntegerField("已预约人数", default=0)

    class Meta:
        verbose_name = "预约时段"
        verbose_name_plural = "预约时段"
        ordering = ["day", "start"]
        constraints = [
            # Also the index the booking pages read a site's days through.
            models.UniqueConstraint(fields=["site", "day", "start"], name="slot_unique_start"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="slot_within_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site.name} {self.day:%Y-%m-%d} {self.start:%H:%M}"

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


class Booking(models.Model):
    """参访预约（批次） — a group's visit to one site in one slot. A route booking is one
    booking per stop, sharing a `group_code`; the stops are confirmed or rejected together.

    A booking the site did not make itself starts 待确认 (`PENDING`: an online booking, or a
    unit's booking at a site another unit runs) and already holds its seats, so confirming it
    never overfills the slot; the site's staff confirm it (`BOOKED`, 已预约: the ticket's QR
    code is shown and checks in) or reject it with a reason (`REJECTED`, 已退回: the seats are
    free again). Seats are released only by cancelling or rejecting; a visit day that ends
    leaves a confirmed booking nobody checked in 未到场 (`NO_SHOW`) and a still-pending one
    逾期未确认 (`EXPIRED`), both keeping the seats they held that day."""

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        BOOKED = "booked", "已预约"
        CHECKED_IN = "checked_in", "已签到"
        CANCELLED = "cancelled", "已取消"
        REJECTED = "rejected", "已退回"
        NO_SHOW = "no_show", "未到场"
        EXPIRED = "expired", "逾期未确认"

    class Channel(models.TextChoices):
        PUBLIC = "public", "网上预约"
        STAFF = "staff", "单位预约"

    code = models.CharField("预约号", max_length=24, unique=True)
    group_code = models.CharField("线路预约号", max_length=24, blank=True, db_index=True)
    site = models.ForeignKey(
        Site, verbose_name="参访点", on_delete=models.PROTECT, related_name="bookings"
    )
    slot = models.ForeignKey(
        Slot, verbose_name="时段", on_delete=models.PROTECT, related_name="bookings"
    )
    # The slot's day, kept here for the lists and the end-of-day job.
    day = models.DateField("参观日期")
    route = models.ForeignKey(
        Route,
        verbose_name="线路",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    channel = models.CharField("预约方式", max_length=10, choices=Channel)
    # The booking unit's subtree sees a staff booking (a school, a party branch …).
    unit = models.ForeignKey(
        Unit,
        verbose_name="预约单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.CharField("单位（团体）名称", max_length=100)
    contact_name = models.CharField("联系人", max_length=30)
    contact_phone = models.CharField("联系电话", max_length=20)
    headcount = models.PositiveIntegerField("预约人数")
    status = models.CharField("状态", max_length=12, choices=Status, default=Status.PENDING)
    booked_at = models.DateTimeField("预约时间")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    # Confirmed or rejected by the site's staff (who: the booking's events).
    decided_at = models.DateTimeField("确认/退回时间", null=True, blank=True)
    reject_reason = models.CharField("退回原因", max_length=200, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    arrived = models.PositiveIntegerField("实到人数", null=True, blank=True)

    class Meta:
        verbose_name = "参访预约"
        verbose_name_plural = "参访预约"
        ordering = ["day", "slot__start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gt=0), name="booking_headcount_positive"),
            models.CheckConstraint(
                condition=~Q(status="checked_in")
                | Q(arrived__isnull=False, checked_in_at__isnull=False),
                name="booking_checked_in_has_arrival",
            ),
            # The booker is always told why (the SMS and the ticket page show it).
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="booking_rejected_has_reason",
            ),
        ]
        indexes = [
            # The end-of-day job (sites.actions.close_no_shows): bookings still open, by day.
            models.Index(fields=["day"], name="booking_open_day_idx", condition=Q(status="booked")),
            # The end-of-day job (sites.actions.expire_unconfirmed): bookings still pending.
            models.Index(
                fields=["day"], name="booking_pending_day_idx", condition=Q(status="pending")
            ),
            # The staff lists and the figures: a site's bookings by day.
            models.Index(fields=["site", "day"], name="booking_site_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.site.name}"

    @property
    def is_open(self) -> bool:
        """Pending or confirmed: the visit may still happen (cancel, reschedule)."""
        return self.status in OPEN_STATUSES

    @property
    def slot_text(self) -> str:
        start = self.slot.start
        return f"{self.day:%Y-%m-%d} {start:%H:%M}–{self.site.slot_end(start):%H:%M}"


# Bookings whose visit may still happen: they hold seats and can be cancelled or moved.
OPEN_STATUSES = (Booking.Status.PENDING, Booking.Status.BOOKED)


class BookingEvent(EventBase):
    """参访预约的记录 — a booking's timeline and the audit trail; a refused check-in (a
    tampered, expired or reused ticket) is recorded too, with or without its booking."""

    class Verb(models.TextChoices):
        BOOKED = "booked", "预约"
        CONFIRMED = "confirmed", "确认预约"
        REJECTED = "rejected", "退回预约"
        CANCELLED = "cancelled", "取消预约"
        RESCHEDULED = "rescheduled", "改期"
        CHECKED_IN = "checked_in", "签到"
        CHECK_IN_REFUSED = "check_in_refused", "签到被拒"
        NO_SHOW = "no_show", "未到场（当日结束）"
        EXPIRED = "expired", "逾期未确认（当日结束）"

    verb = models.CharField("动作", max_length=30, choices=Verb)
    booking = models.ForeignKey(
        Booking,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name="预约",
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    subject_field = "booking"

    class Meta(EventBase.Meta):
        verbose_name = "参访预约记录"
        verbose_name_plural = "参访预约记录"


class SiteEvent(EventBase):
    """参访点的记录 — a site added or changed, closures set and lifted (the audit trail)."""

    class Verb(models.TextChoices):
        CREATED = "created", "新增参访点"
        UPDATED = "updated", "修改参访点"
        PHOTOS_ADDED = "photos_added", "上传照片"
        PHOTO_REMOVED = "photo_removed", "删除照片"
        CLOSURE_ADDED = "closure_added", "设置闭馆"
        CLOSURE_REMOVED = "closure_removed", "取消闭馆"

    verb = models.CharField("动作", max_length=30, choices=Verb)
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="events", verbose_name="参访点"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    subject_field = "site"

    class Meta(EventBase.Meta):
        verbose_name = "参访点记录"
        verbose_name_plural = "参访点记录"
