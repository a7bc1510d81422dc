"""The organisation tree (单位), people (人员) and their roles in units (任职)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from shishi.core.masking import mask_phone


class Unit(models.Model):
    """单位 — a node of the city's tree: divisions, departments, party organisations.

    `path` is the materialised path of primary keys ("00000001/00000012/"), so "this unit
    and everything under it" is one indexed prefix query (`path__startswith`).
    """

    class Kind(models.TextChoices):
        CITY = "city", "市"
        COUNTY = "county", "县"
        DISTRICT = "district", "区"
        ZONE = "zone", "开发区/农林场"
        TOWN = "town", "乡镇"
        STREET = "street", "街道"
        VILLAGE = "village", "村（社区）"
        DEPARTMENT = "department", "部门"
        PARTY_COMMITTEE = "party_committee", "党委"
        PARTY_GENERAL_BRANCH = "party_general_branch", "党总支"
        PARTY_BRANCH = "party_branch", "党支部"
        PARTY_GROUP = "party_group", "党组"
        ENTERPRISE = "enterprise", "企业"
        OTHER = "other", "其他"

    PATH_SEGMENT = 8

    code = models.CharField("单位编码", max_length=32, unique=True)
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("类型", max_length=24, choices=Kind)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Every subtree read uses this: WHERE path LIKE '<prefix>%' (index on path).
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    former_code = models.CharField("原区划代码", max_length=32, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(depth=0), name="unit_root_has_depth_zero"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, other: "Unit") -> bool:
        """Whether `other` is this unit or lies below it."""
        return other.path.startswith(self.path)


class Person(AbstractUser):
    """人员 — a staff member who signs in; citizens have no accounts."""

    name = models.CharField("姓名", max_length=40)
    phone = models.CharField("手机号", max_length=20, blank=True)
    title = models.CharField("职务", max_length=60, blank=True)

    objects = UserManager()

    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "市级管理员"
    UNIT_LEADER = "unit_leader", "单位负责人"
    UNIT_CLERK = "unit_clerk", "单位经办人"
    OPERATOR = "operator", "受理员"
    SUPERVISOR = "supervisor", "督查员"
    GUIDANCE_MEMBER = "guidance_member", "指导组成员"
    AUDITOR = "auditor", "审计员"


class Membership(models.Model):
    """任职 — a person's role in one unit; the unit's subtree is what the role sees."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=20, choices=Role)
    created_at = models.DateTimeField("任职时间", auto_now_add=True)

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        ordering = ["unit__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit", "role"], name="membership_unique_role_in_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.unit} · {self.get_role_display()}"
