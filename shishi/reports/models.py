"""Summary tables: what each registered module counted per unit and month (core.figures),
kept so dashboards read thousands of rows instead of millions. The worker refreshes them
(reports.summary.refresh); pages say how old the figures are."""

from django.db import models

from shishi.orgs.models import Unit


class Summary(models.Model):
    """One module's counts for one unit and month, as `Source.collect` returned them."""

    source = models.CharField("模块", max_length=30)
    month = models.DateField("月份")  # the first day
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    counts = models.JSONField("计数")

    class Meta:
        verbose_name = "汇总"
        verbose_name_plural = "汇总"
        constraints = [
            models.UniqueConstraint(fields=["month", "source", "unit"], name="summary_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.month:%Y-%m} {self.unit_id}"


class Refresh(models.Model):
    """When a module's month was last counted, and how long that took (the lag pages show)."""

    source = models.CharField("模块", max_length=30)
    month = models.DateField("月份")
    taken_at = models.DateTimeField("汇总时间")
    as_of = models.DateField("统计截至")  # the `today` the counts were taken on
    seconds = models.FloatField("用时（秒）", default=0)
    units = models.PositiveIntegerField("单位数", default=0)

    class Meta:
        verbose_name = "汇总刷新"
        verbose_name_plural = "汇总刷新"
        constraints = [
            models.UniqueConstraint(fields=["source", "month"], name="summary_refresh_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.month:%Y-%m} {self.taken_at:%Y-%m-%d %H:%M}"


class Issued(models.Model):
    """A generated document kept for download: the monthly bulletin (with its XLSX annex)
    and the overview, numbered like the office's own documents."""

    class Kind(models.TextChoices):
        BULLETIN = "bulletin", "月度通报"
        OVERVIEW = "overview", "工作综述"

    class State(models.TextChoices):
        PENDING = "pending", "生成中"
        READY = "ready", "已生成"
        FAILED = "failed", "生成失败"

    kind = models.CharField("类别", max_length=10, choices=Kind)
    period = models.DateField("所属月份或截至日期")
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("年度序号", default=0)  # 〔2026〕N号; 0: unnumbered
    number = models.CharField("文号", max_length=40, blank=True)
    title = models.CharField("标题", max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name="范围", on_delete=models.PROTECT, related_name="+"
    )  # the city: who it concerns
    state = models.CharField("状态", max_length=10, choices=State, default=State.PENDING)
    error = models.CharField("失败原因", max_length=300, blank=True)
    docx = models.FileField("正文", upload_to="reports/%Y/", blank=True)
    xlsx = models.FileField("附件", upload_to="reports/%Y/", blank=True)
    created_at = models.DateTimeField("生成时间")
    created_by = models.ForeignKey(
        "orgs.Person",
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # None: the worker, on schedule
    seconds = models.FloatField("用时（秒）", default=0)

    class Meta:
        verbose_name = "报告存档"
        verbose_name_plural = "报告存档"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "serial"],
                condition=models.Q(serial__gt=0),
                name="issued_unique_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or self.get_kind_display()} {self.title}"
