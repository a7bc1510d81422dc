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
