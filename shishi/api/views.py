"""REST API v1: integrations submit appeals (idempotently) and read their progress.

Authentication: a token of a staff account whose role may register appeals (受理员).
Every submission should carry an `Idempotency-Key` header: a retry with the same key
returns the appeal created the first time (HTTP 200, `Idempotent-Replayed: true`).
"""

import hashlib

from csp.decorators import csp_update
from django.http import Http404
from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from shishi.appeals import actions, queries
from shishi.appeals.access import Perm, access_appeal
from shishi.appeals.forms import SubmissionForm
from shishi.appeals.models import Appeal, Channel
from shishi.core import text
from shishi.core.ratelimit import Limited, hit
from shishi.core.validators import normalise_mobile, validate_mobile
from shishi.orgs.access import Actor, actor_for
from shishi.orgs.queries import unit_by_code


def _actor(request) -> Actor:
    actor = actor_for(request.user, None)
    if actor is None:
        raise PermissionDenied("该账号未分配单位")
    return actor


IDEMPOTENCY_KEY_MAX = 100


def _idempotency_key(user_id: int, key: str) -> str:
    """Keys are per account; hashed so any client key fits the column."""
    return hashlib.sha256(f"{user_id}:{key}".encode()).hexdigest()


# The API takes what the intake forms take: lengths, ranges and the phone rule are the form's.
FORM_FIELDS = SubmissionForm.base_fields


class TextField(serializers.CharField):
    """A text as the forms take it: cleaned (`core.text.clean`: "\\r\\n" counts once, control
    characters such as NUL are dropped, nothing else) before its length is checked."""

    def to_internal_value(self, data):
        return super().to_internal_value(text.clean(data) if isinstance(data, str) else data)


class PhoneIn(serializers.CharField):
    """A mobile number as the forms take it (`core.validators.normalise_mobile`, then the one
    ASCII-only rule)."""

    def __init__(self, **kwargs):
        super().__init__(validators=[validate_mobile], **kwargs)

    def to_internal_value(self, data):
        return normalise_mobile(super().to_internal_value(data))


def _text(name: str) -> serializers.CharField:
    field = FORM_FIELDS[name]
    optional = {} if field.required else {"required": False, "allow_blank": True, "default": ""}
    return TextField(min_length=field.min_length, max_length=field.max_length, **optional)


def _coordinate(name: str) -> serializers.DecimalField:
    field = FORM_FIELDS[name]
    return serializers.DecimalField(
        max_digits=field.max_digits,
        decimal_places=field.decimal_places,
        min_value=field.min_value,
        max_value=field.max_value,
        required=False,
        allow_null=True,
        default=None,
    )


class AppealIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FORM_FIELDS["kind"].choices)
    category = serializers.PrimaryKeyRelatedField(queryset=queries.categories_for_select())
    content = _text("content")
    title = _text("title")
    place = _text("place")
    lat = _coordinate("lat")
    lng = _coordinate("lng")
    county = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="县（区）12位区划代码"
    )
    town = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="乡镇（街道）12位区划代码"
    )
    reporter_name = _text("reporter_name")
    reporter_phone = PhoneIn()
    enterprise_name = _text("enterprise_name")

    def validate(self, data):
        for field in ("county", "town"):
            if data[field]:
                unit = unit_by_code(data[field])
                if unit is None:
                    raise serializers.ValidationError({field: "区划代码不存在"})
                data[field] = unit
            else:
                data[field] = None
        return data


class AppealOut(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    kind = serializers.CharField()
    category = serializers.CharField(source="category.full_name")
    title = serializers.CharField()
    received_at = serializers.DateTimeField()
    holder = serializers.CharField(source="holder.name")
    handle_due = serializers.DateField(allow_null=True)
    due_estimated = serializers.BooleanField()
    reply_kind = serializers.CharField()
    verdict = serializers.CharField()


class EventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    verb = serializers.CharField(source="get_verb_display")  # the label people read
    code = serializers.CharField(source="verb")  # stable for integrations
    note = serializers.CharField()


class AppealCreate(APIView):
    @extend_schema(
        request=AppealIn,
        responses={201: AppealOut, 200: AppealOut},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="同一次提交的重试使用同一个键（最长100字符）",
            )
        ],
        summary="提交诉求",
    )
    def post(self, request):
        actor = _actor(request)
        if not actor.can(Perm.INTAKE):
            raise PermissionDenied("该账号无权登记诉求")
        try:
            hit(f"api:user:{request.user.pk}", limit=600, window=60)
        except Limited as limited:
            raise Throttled(wait=limited.retry_after) from limited
        key = request.headers.get("Idempotency-Key", "").strip() or None
        if key and len(key) > IDEMPOTENCY_KEY_MAX:
            # refused, not cut: two long keys sharing their first 100 characters are two keys
            too_long = f"Idempotency-Key 最长{IDEMPOTENCY_KEY_MAX}个字符，请缩短后重试"
            return Response({"detail": too_long}, status=status.HTTP_400_BAD_REQUEST)
        data = AppealIn(data=request.data)
        data.is_valid(raise_exception=True)
        # A refusal becomes a 400 in shishi.api.errors.exception_handler.
        appeal, created = actions.submit_appeal(
            submission=actions.Submission(channel=Channel.API, **data.validated_data),
            receiver=actor.unit,
            by=actor,
            now=timezone.now(),
            idempotency_key=_idempotency_key(request.user.pk, key) if key else None,
        )
        response = Response(
            AppealOut(appeal).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response


class AppealDetail(APIView):
    @extend_schema(responses={200: AppealOut}, summary="查询诉求")
    def get(self, request, code: str):
        actor = _actor(request)
        if not actor.can(Perm.VIEW):
            raise PermissionDenied("该账号无权查询诉求")
        try:
            appeal: Appeal = access_appeal(actor, code)
        except Http404 as error:
            raise NotFound("没有找到该诉求") from error
        body = AppealOut(appeal).data
        body["timeline"] = EventOut(queries.public_timeline(appeal), many=True).data
        return Response(body)


class CategoryOut(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    level = serializers.IntegerField()


class CategoryList(ListAPIView):
    serializer_class = CategoryOut
    pagination_class = None

    def get_queryset(self):
        return queries.categories_for_select()


@method_decorator(
    csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]}), name="dispatch"
)
class SwaggerDocs(SpectacularSwaggerSplitView):
    """Swagger UI (assets from the sidecar package; its styles need inline style)."""
