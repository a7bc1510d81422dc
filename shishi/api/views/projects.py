"""/api/v1/projects/: the ledger of the token's units, one project, and filing a period's
progress report (the lead unit's, as on the project page)."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from shishi.api import serializers as io
from shishi.api.views.appeals import ERRORS
from shishi.api.views.common import actor_of, filters_of
from shishi.orgs.access import access_unit
from shishi.projects import actions, queries
from shishi.projects.access import Perm, access_project, visible_projects
from shishi.projects.forms import StaffProjectFilterForm


class ByNewest(CursorPagination):
    ordering = "-pk"
    page_size = 30
    page_size_query_param = "size"
    max_page_size = 100


def described(project) -> dict:
    project.open_slots = list(queries.slots_to_file(project))  # shown, never saved
    project.filed_reports = list(queries.reports(project))
    return io.ProjectDetailOut(project).data


class ProjectList(ListAPIView):
    serializer_class = io.ProjectOut
    pagination_class = ByNewest

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="名称、编号或地点"),
            OpenApiParameter("status", str),
            OpenApiParameter("area", str),
            OpenApiParameter("unit", int, description="牵头或参与单位编号（含下级）"),
            OpenApiParameter("size", int, description="每页条数，1–100"),
        ],
        responses={200: io.ProjectOut(many=True), **ERRORS},
        summary="实事项目列表（游标分页）",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        actor = actor_of(self.request, perm=Perm.VIEW)
        params = self.request.query_params.copy()
        params.pop("size", None)
        form = StaffProjectFilterForm(params)
        filters = filters_of(form, allowed=set(form.fields) - {"sort"})
        unit = access_unit(actor, filters["unit"]) if filters["unit"] else None
        listed = queries.apply_filters(
            visible_projects(actor), filters, today=timezone.localdate(), unit=unit
        )
        return listed.select_related("lead_unit")


class ProjectDetail(APIView):
    @extend_schema(responses={200: io.ProjectDetailOut, **ERRORS}, summary="查询项目（含待报送期）")
    def get(self, request, code: str):
        actor = actor_of(request, perm=Perm.VIEW)
        return Response(described(access_project(actor, code)))


class ProjectReport(APIView):
    @extend_schema(
        request=io.ReportIn,
        parameters=[
            OpenApiParameter("slot", int, description="报送期编号（见项目的 slots_to_file）")
        ],
        responses={200: io.ProjectDetailOut, **ERRORS},
        summary="报送一期进度（牵头单位）",
    )
    def post(self, request, code: str, slot: int):
        actor = actor_of(request, perm=Perm.RUN)
        project = access_project(actor, code, perm=Perm.RUN, lead=True)
        period = queries.slot_of(project, slot)
        if period is None:
            raise ValidationError({"slot": ["没有该报送期"]})
        given = io.ReportIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        actions.file_report(
            actor=actor,
            project=project,
            slot=period,
            text=data["text"],
            percent=data["percent"],
            problems=data["problems"],
            next_steps=data["next_steps"],
            now=timezone.now(),
        )
        return Response(described(access_project(actor, code)))
