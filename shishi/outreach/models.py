"""宣讲与志愿服务 — lecture teams (宣讲队伍) and their lectures, volunteer teams (志愿服务队) and
their activities, party-member pioneer posts and responsibility areas (党员先锋岗/责任区) with
their service records, and the entries of 党史上的今天.

Every team, post and record belongs to a unit of the tree (`unit`): who sees it is that unit's
subtree and the units above it; the place a lecture or activity was held (`place`, a division)
is what the per-county totals count by."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shishi.core.models import EventBase
from shishi.orgs.models import Unit


class LectureTeam(models.Model):
    """宣讲队伍 — e.g. 市委讲师团, 漳州110宣讲队, 土楼红妹子, 老兵宣讲团."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", "党政机关宣讲队"
        GRASSROOTS = "grassroots", "基层百姓宣讲队"
        ONLINE = "online", "网络宣讲队"

    name = models.CharField("队伍名称", max_length=60)
    kind = models.CharField("队伍类型", max_length=12, choices=Kind)
    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="lecture_teams"
    )
    topics = models.TextField("宣讲主题", blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="有账号的队员", blank=True, related_name="+"
    )
    # Lecturers without an account (veterans, village elders, teachers), by name.
    outside_members = models.CharField("其他队员", max_length=500, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField("建立时间")

    class Meta:
        verbose_name = "宣讲队伍"
        verbose_name_plural = "宣讲队伍"
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="lecture_team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def outside_names(self) -> list[str]:
        return split_names(self.outside_members)


def split_names(text: str) -> list[str]:
    """Names typed as 张三、李四, 王五 (any of 、，, and spaces between them)."""
    for mark in "，,；; \n":
        text = text.replace(mark, "、")
    return [name for name in (part.strip() for part in text.split("、")) if name]


class Lecture(models.Model):
    """宣讲活动 — one lecture of a team, at a place (county/town) on a day. Those still to
    come are listed publicly at /lectures/ (unless `public` is off)."""

    class Mode(models.TextChoices):
        OFFLINE = "offline", "线下"
        ONLINE = "online", "线上"

    team = models.ForeignKey(
        LectureTeam, verbose_name="宣讲队伍", on_delete=models.PROTECT, related_name="lectures"
    )
    topic = models.CharField("宣讲主题", max_length=100)
    starts_at = models.DateTimeField("宣讲时间")
    place = models.ForeignKey(
        Unit, verbose_name="宣讲地点（县区/乡镇）", on_delete=models.PROTECT, related_name="+"
    )
    venue = models.CharField("具体地点或平台", max_length=100, blank=True)
    mode = models.CharField("形式", max_length=10, choices=Mode, default=Mode.OFFLINE)
    audience = models.PositiveIntegerField("受众人数", default=0)
    summary = models.TextField("宣讲情况", blank=True)
    public = models.BooleanField("在公众页面预告", default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "宣讲活动"
        verbose_name_plural = "宣讲活动"
        ordering = ["-starts_at", "-pk"]
        indexes = [
            # The lecture list, the figures (a month's lectures) and /lectures/ (upcoming).
            models.Index(fields=["starts_at"], name="lecture_starts_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d} {self.topic}"


def lecture_photo_path(instance: "LecturePhoto", filename: str) -> str:
    return f"outreach/lectures/{instance.lecture_id}/{filename}"


class LecturePhoto(models.Model):
    lecture = models.ForeignKey(
        Lecture, verbose_name="宣讲活动", on_delete=models.CASCADE, related_name="photos"
    )
    file = models.ImageField(upload_to=lecture_photo_path)
    name = models.CharField("文件名", max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "宣讲照片"
        verbose_name_plural = "宣讲照片"

    def __str__(self) -> str:
        return self.name


class VolunteerTeam(models.Model):
    """志愿服务队."""

    class Field(models.TextChoices):
        PARTY = "party", "党员志愿服务"
        CIVILIZATION = "civilization", "新时代文明实践"
        ELDERLY = "elderly", "关爱老幼"
        ENVIRONMENT = "environment", "生态环保"
        SAFETY = "safety", "平安建设"
        OTHER = "other", "其他"

    name = models.CharField("队伍名称", max_length=60)
    field = models.CharField("服务领域", max_length=16, choices=Field)
    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="volunteer_teams"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="有账号的队员", blank=True, related_name="+"
    )
    outside_members = models.CharField("其他队员", max_length=500, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField("建立时间")

    class Meta:
        verbose_name = "志愿服务队"
        verbose_name_plural = "志愿服务队"
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="volunteer_team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def outside_names(self) -> list[str]:
        return split_names(self.outside_members)


class VolunteerActivity(models.Model):
    """志愿服务活动 — `hours` (服务时长) is the activity's length times its volunteers, in
    hours to one decimal, computed once by the action."""

    team = models.ForeignKey(
        VolunteerTeam,
        verbose_name="志愿服务队",
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField("活动名称", max_length=100)
    place = models.ForeignKey(
        Unit, verbose_name="活动地点（县区/乡镇）", on_delete=models.PROTECT, related_name="+"
    )
    venue = models.CharField("具体地点", max_length=100, blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    volunteers = models.PositiveIntegerField("参加志愿者人数")
    served = models.PositiveIntegerField("服务群众人数", default=0)
    hours = models.DecimalField("服务时长（小时）", max_digits=9, decimal_places=1)
    summary = models.TextField("活动情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "志愿服务活动"
        verbose_name_plural = "志愿服务活动"
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
        ]
        indexes = [
            # The activity list and the figures: activities in a date range.
            models.Index(fields=["starts_at"], name="activity_starts_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class PioneerPost(models.Model):
    """党员先锋岗 / 党员责任区 — a post or an area a unit's party members hold."""

    class Kind(models.TextChoices):
        POST = "post", "党员先锋岗"
        AREA = "area", "党员责任区"

    kind = models.CharField("类型", max_length=8, choices=Kind)
    name = models.CharField("名称", max_length=60)
    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="pioneer_posts"
    )
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="有账号的岗位人员", blank=True, related_name="+"
    )
    outside_holders = models.CharField("其他岗位人员", max_length=300, blank=True)
    duties = models.TextField("岗位职责")
    place = models.CharField("服务区域或地点", max_length=100, blank=True)
    active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField("设立时间")

    class Meta:
        verbose_name = "党员先锋岗/责任区"
        verbose_name_plural = "党员先锋岗/责任区"
        ordering = ["unit__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="pioneer_post_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def outside_names(self) -> list[str]:
        return split_names(self.outside_holders)


class ServiceRecord(models.Model):
    """服务记录 of a pioneer post; `appeal` when what it solved was an appeal its unit handled."""

    post = models.ForeignKey(
        PioneerPost, verbose_name="先锋岗/责任区", on_delete=models.CASCADE, related_name="records"
    )
    served_on = models.DateField("服务日期")
    content = models.CharField("服务内容", max_length=300)
    served = models.PositiveIntegerField("服务群众人数", default=0)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name="关联诉求",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"
        ordering = ["-served_on", "-pk"]
        indexes = [models.Index(fields=["served_on"], name="service_served_on_idx")]

    def __str__(self) -> str:
        return self.content


def today_image_path(instance: "TodayEntry", filename: str) -> str:
    return f"outreach/today/{instance.month:02d}{instance.day:02d}/{filename}"


class TodayEntry(models.Model):
    """党史上的今天 — what happened on this month-day in a year, shown on the public screens."""

    month = models.PositiveSmallIntegerField("月")
    day = models.PositiveSmallIntegerField("日")
    year = models.PositiveSmallIntegerField("年份")
    title = models.CharField("标题", max_length=60)
    text = models.TextField("内容")
    source = models.CharField("资料来源", max_length=200)
    image = models.ImageField("图片", upload_to=today_image_path, blank=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "党史上的今天"
        verbose_name_plural = "党史上的今天"
        ordering = ["month", "day", "year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "day", "year", "title"], name="today_entry_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="today_entry_month_day",
            ),
        ]
        indexes = [
            # The screen and its feed read one month-day.
            models.Index(fields=["month", "day"], name="today_entry_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month}月{self.day}日 {self.year}年 {self.title}"


class OutreachEvent(EventBase):
    """宣讲与志愿服务的记录 — who created, changed or removed a team, lecture, activity, post,
    record or screen entry. The subject is the unit that owns the row (`owner`), so the audit
    log reads a subtree; `target` names the row."""

    class Verb(models.TextChoices):
        TEAM_SAVED = "team_saved", "保存宣讲队伍"
        LECTURE_SAVED = "lecture_saved", "登记宣讲活动"
        LECTURE_REMOVED = "lecture_removed", "删除宣讲活动"
        VOLUNTEER_TEAM_SAVED = "volunteer_team_saved", "保存志愿服务队"
        ACTIVITY_SAVED = "activity_saved", "登记志愿服务活动"
        ACTIVITY_REMOVED = "activity_removed", "删除志愿服务活动"
        POST_SAVED = "post_saved", "保存先锋岗/责任区"
        SERVICE_RECORDED = "service_recorded", "登记服务记录"
        SERVICE_REMOVED = "service_removed", "删除服务记录"
        TODAY_SAVED = "today_saved", "保存党史上的今天"
        TODAY_REMOVED = "today_removed", "删除党史上的今天"
        TODAY_IMPORTED = "today_imported", "导入党史上的今天"

    verb = models.CharField("动作", max_length=30, choices=Verb)
    owner = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属单位"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    target = models.CharField("对象", max_length=120, blank=True)
    subject_field = "owner"

    class Meta(EventBase.Meta):
        verbose_name = "宣讲与志愿服务记录"
        verbose_name_plural = "宣讲与志愿服务记录"
