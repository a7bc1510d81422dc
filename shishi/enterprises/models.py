"""政企服务 — 千名干部挂千企: the enterprise registry, cadres paired with enterprises (挂钩)
by the city or a county office, the cadres' visits (走访), enterprise problems that enter the
appeal loop as appeals, and the benefits ledger (惠企兑现).

A pairing is a duty of the duty kit: `visit_due` is N working days after the last visit (or
the pairing's start); a cadre who has not visited by then climbs the supervision ladder."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shishi.appeals.models import Appeal
from shishi.core.models import EventBase, StoredFile
from shishi.core.supervision import Level
from shishi.core.validators import validate_credit_code, validate_mobile
from shishi.orgs.models import Unit


class Industry(models.TextChoices):
    """国民经济行业分类 (GB/T 4754-2017) 门类."""

    A = "A", "农、林、牧、渔业"
    B = "B", "采矿业"
    C = "C", "制造业"
    D = "D", "电力、热力、燃气及水生产和供应业"
    E = "E", "建筑业"
    F = "F", "批发和零售业"
    G = "G", "交通运输、仓储和邮政业"
    H = "H", "住宿和餐饮业"
    I = "I", "信息传输、软件和信息技术服务业"  # noqa: E741  (the standard's letter)
    J = "J", "金融业"
    K = "K", "房地产业"
    L = "L", "租赁和商务服务业"
    M = "M", "科学研究和技术服务业"
    N = "N", "水利、环境和公共设施管理业"
    O = "O", "居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "教育"
    Q = "Q", "卫生和社会工作"
    R = "R", "文化、体育和娱乐业"
    S = "S", "公共管理、社会保障和社会组织"
    T = "T", "国际组织"


class Size(models.TextChoices):
    """企业规模 (统计上大中小微型企业划分办法)."""

    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


# The unit kinds an enterprise is registered under: its county-level division.
COUNTY_KINDS = (Unit.Kind.COUNTY, Unit.Kind.DISTRICT, Unit.Kind.ZONE)


class Enterprise(models.Model):
    """企业 — one enterprise of the registry, under its county-level division."""

    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField("企业名称", max_length=100)
    county = models.ForeignKey(
        Unit, verbose_name="所属县区", on_delete=models.PROTECT, related_name="enterprises"
    )
    industry = models.CharField("行业门类", max_length=1, choices=Industry)
    size = models.CharField("企业规模", max_length=10, choices=Size)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=40)
    contact_phone = models.CharField("联系电话", max_length=11, validators=[validate_mobile])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["county__path", "name", "pk"]
        constraints = [
            # Two enterprises of one name in one county are one enterprise entered twice.
            models.UniqueConstraint(fields=["county", "name"], name="enterprise_unique_name"),
            models.CheckConstraint(
                condition=Q(industry__in=Industry.values), name="enterprise_industry_valid"
            ),
            models.CheckConstraint(condition=Q(size__in=Size.values), name="enterprise_size_valid"),
        ]
        indexes = [
            # The staff list filtered by industry inside a county (queries.filter_enterprises).
            models.Index(fields=["county", "industry"], name="enterprise_county_ind_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Pairing(models.Model):
    """挂钩 — a cadre paired with an enterprise for a period, by the city or a county office.
    An ended pairing stays as history; an enterprise has one current cadre at a time. The
    cadre's unit (at pairing) is the first receiver of the enterprise's problems."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="pairings"
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="挂钩干部",
        on_delete=models.PROTECT,
        related_name="enterprise_pairings",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="干部所在单位", on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        Unit, verbose_name="安排单位", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField("挂钩开始")
    ends_on = models.DateField("挂钩结束", null=True, blank=True)
    paired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="安排人", on_delete=models.PROTECT, related_name="+"
    )
    paired_at = models.DateTimeField("安排时间")
    ended_at = models.DateTimeField("解除时间", null=True, blank=True)
    end_reason = models.CharField("解除原因", max_length=200, blank=True)
    # The duty: the next visit is due N working days after the last (or the start).
    last_visited_on = models.DateField("最近走访", null=True, blank=True)
    visit_due = models.DateField("应走访日期")
    visit_due_estimated = models.BooleanField("期限为估算", default=False)
    supervision = models.PositiveSmallIntegerField("督办等级", choices=Level, default=Level.NONE)
    supervision_at = models.DateTimeField("督办时间", null=True, blank=True)

    class Meta:
        verbose_name = "挂钩关系"
        verbose_name_plural = "挂钩关系"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(ends_on__isnull=True),
                name="pairing_one_current_per_enterprise",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="pairing_ends_after_start",
            ),
        ]
        indexes = [
            # The visit sweep (actions.sweep_visits) reads current pairings by their due date.
            models.Index(
                fields=["visit_due"],
                condition=Q(ends_on__isnull=True),
                name="pairing_current_due_idx",
            ),
            # 我的挂钩企业: a cadre's current pairings.
            models.Index(fields=["cadre", "ends_on"], name="pairing_cadre_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} — {self.enterprise}"

    @property
    def current(self) -> bool:
        return self.ends_on is None


class Visit(models.Model):
    """走访 — a cadre's visit to a paired enterprise: what was discussed, problems found."""

    class Form(models.TextChoices):
        ON_SITE = "on_site", "实地走访"
        PHONE = "phone", "电话联系"
        MEETING = "meeting", "座谈交流"

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="visits"
    )
    pairing = models.ForeignKey(
        Pairing, verbose_name="挂钩关系", on_delete=models.PROTECT, related_name="visits"
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="走访干部",
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="干部所在单位", on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField("走访日期")
    form = models.CharField("走访形式", max_length=10, choices=Form)
    discussed = models.TextField("交流内容")
    problems = models.TextField("发现的问题", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(form__in=["on_site", "phone", "meeting"]), name="visit_form_valid"
            ),
        ]
        indexes = [
            # Visit frequency per cadre over a period (queries.visit_frequency).
            models.Index(fields=["cadre", "visited_on"], name="ent_visit_cadre_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.enterprise}"


class Problem(models.Model):
    """企业诉求 — an enterprise problem, entered in the appeal loop as an appeal (channel 企业)
    first received by the paired cadre's unit: raised by the cadre after a visit, or by the
    enterprise on the public form (its contact phone confirmed by an SMS code)."""

    class Source(models.TextChoices):
        VISIT = "visit", "走访发现"
        ENTERPRISE = "enterprise", "企业自主反映"
        STAFF = "staff", "干部登记"

    appeal = models.OneToOneField(
        Appeal, verbose_name="诉求", on_delete=models.PROTECT, related_name="enterprise_problem"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="problems"
    )
    pairing = models.ForeignKey(
        Pairing,
        verbose_name="挂钩关系",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name="走访记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="raised_problems",
    )
    source = models.CharField("来源", max_length=12, choices=Source)
    raised_at = models.DateTimeField("提出时间")

    class Meta:
        verbose_name = "企业诉求"
        verbose_name_plural = "企业诉求"
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=["visit", "enterprise", "staff"]),
                name="problem_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(visit__isnull=True) | Q(source="visit"),
                name="problem_visit_only_from_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} — {self.appeal.code}"


class Benefit(models.Model):
    """惠企兑现 — a benefit delivered to an enterprise: policy funds paid, tax and fee relief,
    financing, other; amounts in yuan to the fen."""

    class Kind(models.TextChoices):
        FUNDS = "funds", "政策资金兑现"
        TAX = "tax", "减税降费"
        FINANCING = "financing", "融资支持"
        OTHER = "other", "其他"

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="benefits"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind)
    policy = models.CharField("政策名称", max_length=120)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    granted_on = models.DateField("兑现日期")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "惠企兑现"
        verbose_name_plural = "惠企兑现"
        ordering = ["-granted_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="benefit_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=["funds", "tax", "financing", "other"]),
                name="benefit_kind_valid",
            ),
        ]
        indexes = [
            # Totals per kind over a period (queries.benefit_totals, figures).
            models.Index(fields=["granted_on", "kind"], name="benefit_day_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()} {self.amount}"


def benefit_file_path(instance: "BenefitFile", filename: str) -> str:
    return f"enterprises/benefits/{instance.benefit_id}/{filename}"


class BenefitFile(StoredFile):
    """兑现凭证 — the evidence of a benefit (a payment voucher, a tax notice: PDF or image)."""

    benefit = models.ForeignKey(
        Benefit, verbose_name="惠企兑现", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=benefit_file_path)

    class Meta:
        verbose_name = "兑现凭证"
        verbose_name_plural = "兑现凭证"


class EnterpriseEvent(EventBase):
    """The enterprise desk's events: the audit trail of the registry, pairings, visits,
    problems and benefits, and the ladder's steps over pairings not visited."""

    class Verb(models.TextChoices):
        REGISTERED = "registered", "登记企业"
        EDITED = "edited", "修改企业"
        IMPORTED = "imported", "导入企业"
        PAIRED = "paired", "安排挂钩"
        UNPAIRED = "unpaired", "解除挂钩"
        VISITED = "visited", "登记走访"
        PROBLEM_RAISED = "problem_raised", "提出企业诉求"
        BENEFIT_RECORDED = "benefit_recorded", "登记惠企兑现"
        BENEFITS_IMPORTED = "benefits_imported", "导入惠企兑现"
        REMIND = "remind", "提醒走访"
        URGE = "urge", "催办走访"
        SUPERVISE = "supervise", "督办走访"
        NOTIFY = "notify", "通报未走访"

    verb = models.CharField("动作", max_length=30, choices=Verb)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="events"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    subject_field = "enterprise"

    class Meta(EventBase.Meta):
        verbose_name = "政企服务事件"
        verbose_name_plural = "政企服务事件"
