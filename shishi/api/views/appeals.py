"""/api/v1/appeals/: submit (idempotently), list, read, and the handling steps — through the
same access functions and actions as the staff screens, as the token's unit.

Every submission should carry an `Idempotency-Key` header: a retry with the same key returns
the appeal created the first time (HTTP 200, `Idempotent-Replayed: true`).
"""

import hashlib
from abc import ABCMeta, abstractmethod

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from shishi.api import serializers as io
from shishi.api.views.common import actor_of, filters_of
from shishi.appeals import actions, queries
from shishi.appeals.access import Perm, access_appeal
from shishi.appeals.forms import AppealFilterForm
from shishi.appeals.models import Appeal, Channel
from shishi.orgs.access import visible_units

IDEMPOTENCY_KEY_MAX = 100
PAGE_SIZE_MAX = 100

ERRORS = {
    400: io.ErrorOut,
    401: io.ErrorOut,
    403: io.ErrorOut,
    404: io.ErrorOut,
    409: io.ErrorOut,
    429: io.ErrorOut,
}


def _idempotency_key(token_id: int, key: str) -> str:
    """Keys are per token; hashed so any client key fits the column."""
    return hashlib.sha256(f"token:{token_id}:{key}".encode()).hexdigest()


def described(appeal: Appeal) -> dict:
    appeal.public_events = queries.public_timeline(appeal)
    return io.AppealDetailOut(appeal).data


AppealPage = inline_serializer(
    "AppealPage",
    {"results": io.AppealOut(many=True), "next": serializers.CharField(allow_null=True)},
)

LIST_FILTERS = [
    OpenApiParameter("q", str, description="关键词或受理编号"),
    OpenApiParameter(
        "status", str, enum=[s for s, _ in AppealFilterForm.base_fields["status"].choices]
    ),
    OpenApiParameter("kind", str),
    OpenApiParameter("channel", str),
    OpenApiParameter("category", int, description="分类编号（含下级分类）"),
    OpenApiParameter("unit", int, description="承办单位编号（含下级），见 /api/v1/units/"),
    OpenApiParameter("since", str, description="受理日期自 YYYY-MM-DD"),
    OpenApiParameter("until", str, description="受理日期至 YYYY-MM-DD"),
    OpenApiParameter("overdue", bool, description="只看超期"),
    OpenApiParameter("cursor", str, description="上一页返回的 next 中的游标"),
    OpenApiParameter("size", int, description=f"每页条数，1–{PAGE_SIZE_MAX}，默认30"),
]


class AppealCollection(APIView):
    @extend_schema(
        operation_id="v1_appeals_list",
        parameters=LIST_FILTERS,
        responses={200: AppealPage, **ERRORS},
        summary="诉求列表（令牌所代表单位及下级；按受理时间倒序，游标分页）",
    )
    def get(self, request):
        actor = actor_of(request, perm=Perm.VIEW)
        params = request.query_params.copy()
        size = params.pop("size", ["30"])[-1]
        if not size.isdigit() or not 1 <= int(size) <= PAGE_SIZE_MAX:
            raise ValidationError({"size": [f"每页条数应为1至{PAGE_SIZE_MAX}"]})
        params.setdefault("queue", "all")
        form = AppealFilterForm(params)
        filters = filters_of(form, allowed=set(form.fields) - {"supervision"} | {"queue"})
        listed = queries.staff_appeal_list(actor, filters, today=timezone.localdate())
        page = queries.keyset_page(
            listed.appeals,
            after=request.query_params.get("cursor", ""),
            size=int(size),
            oldest_first=listed.oldest_first,
        )
        next_url = None
        if page.next_cursor:
            more = request.query_params.copy()
            more["cursor"] = page.next_cursor
            next_url = request.build_absolute_uri(f"{request.path}?{more.urlencode()}")
        return Response({"results": io.AppealOut(page.rows, many=True).data, "next": next_url})

    @extend_schema(
        request=io.AppealIn,
        responses={201: io.AppealDetailOut, 200: io.AppealDetailOut, 422: io.ErrorOut, **ERRORS},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description=f"同一次提交的重试使用同一个键（最长{IDEMPOTENCY_KEY_MAX}字符）",
            )
        ],
        summary="提交诉求",
    )
    def post(self, request):
        actor = actor_of(request, perm=Perm.INTAKE)
        key = request.headers.get("Idempotency-Key", "").strip() or None
        if key and len(key) > IDEMPOTENCY_KEY_MAX:
            # refused, not cut: two long keys sharing their first 100 characters are two keys
            raise ValidationError(
                {
                    "Idempotency-Key": [
                        f"Idempotency-Key 最长{IDEMPOTENCY_KEY_MAX}个字符，请缩短后重试"
                    ]
                }
            )
        data = io.AppealIn(data=request.data)
        data.is_valid(raise_exception=True)
        appeal, created = actions.submit_appeal(
            submission=actions.Submission(channel=Channel.API, **data.validated_data),
            receiver=actor.unit,
            by=actor,
            now=timezone.now(),
            idempotency_key=_idempotency_key(actor.token.pk, key) if key else None,
        )
        response = Response(
            described(appeal), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response


class AppealDetail(APIView):
    @extend_schema(
        responses={200: io.AppealDetailOut, **ERRORS}, summary="查询诉求（含公开时间线）"
    )
    def get(self, request, code: str):
        actor = actor_of(request, perm=Perm.VIEW)
        return Response(described(access_appeal(actor, code)))


class Step(APIView, metaclass=ABCMeta):
    """One handling step on one appeal (the action checks that the token's unit may take it
    now: a refusal is 400, a wrong state or holder 409)."""

    perm = Perm.HANDLE
    input: type[serializers.Serializer] | None = None

    def post(self, request, code: str):
        actor = actor_of(request, perm=self.perm)
        appeal = access_appeal(actor, code, perm=self.perm)
        data = {}
        if self.input is not None:
            given = self.input(data=request.data)
            given.is_valid(raise_exception=True)
            data = given.validated_data
        self.act(actor=actor, appeal=appeal, data=data, now=timezone.now())
        return Response(described(access_appeal(actor, code)))

    @abstractmethod
    def act(self, *, actor, appeal, data, now) -> None:
        """Run the step's action on the appeal (`data`: the validated input)."""


def _step_schema(summary: str, request=None):
    """The step's OpenAPI description, on its class (it has one method, POST)."""
    return extend_schema(
        request=request, responses={200: io.AppealDetailOut, **ERRORS}, summary=summary
    )


@_step_schema("派单（给下级单位，可带协办单位）", io.DispatchIn)
class Dispatch(Step):
    input = io.DispatchIn

    def act(self, *, actor, appeal, data, now):
        units = queries.units_for_dispatch(visible_units(actor), holder=actor.unit)
        codes = [data["to_unit"], *data["co_units"]]
        found = {u.code: u for u in units.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(
                {
                    "to_unit" if data["to_unit"] in missing else "co_units": [
                        f"单位代码不在可派单位中：{'、'.join(missing)}"
                    ]
                }
            )
        actions.dispatch_appeal(
            appeal=appeal,
            actor=actor,
            to_unit=found[data["to_unit"]],
            co_units=[found[c] for c in data["co_units"]],
            note=data["note"],
            now=now,
        )


@_step_schema("签收")
class Sign(Step):
    def act(self, *, actor, appeal, data, now):
        actions.sign_appeal(appeal=appeal, actor=actor, now=now)


@_step_schema("退单（写明理由）", io.ReasonIn)
class Return(Step):
    input = io.ReasonIn

    def act(self, *, actor, appeal, data, now):
        actions.return_appeal(appeal=appeal, actor=actor, reason=data["reason"], now=now)


@_step_schema("答复（需单位负责人审核的，先存为待审核）", io.ReplyIn)
class Reply(Step):
    input = io.ReplyIn

    def act(self, *, actor, appeal, data, now):
        actions.reply_appeal(
            appeal=appeal,
            actor=actor,
            kind=data["kind"],
            text=data["text"],
            reason=data["reason"],
            now=now,
        )


@_step_schema("回访（记录群众评价；不满意的重办）", io.VerdictIn)
class Callback(Step):
    perm = Perm.CALLBACK
    input = io.VerdictIn

    def act(self, *, actor, appeal, data, now):
        actions.record_verdict(
            appeal=appeal,
            verdict=data["verdict"],
            note=data["note"],
            solved=data["solved"],
            actor=actor,
            now=now,
        )
