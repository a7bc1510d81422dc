"""Reference data an integration needs to fill its calls: the token's units, the categories."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination

from shishi.api import serializers as io
from shishi.api.views.appeals import ERRORS
from shishi.api.views.common import actor_of
from shishi.appeals import queries
from shishi.orgs.access import visible_units


class InTreeOrder(CursorPagination):
    ordering = "path"
    page_size = 100
    page_size_query_param = "size"
    max_page_size = 500


@extend_schema(
    responses={200: io.UnitOut(many=True), **ERRORS}, summary="单位（令牌所代表单位及下级，树序）"
)
class UnitList(ListAPIView):
    serializer_class = io.UnitOut
    pagination_class = InTreeOrder

    def get_queryset(self):
        return visible_units(actor_of(self.request)).filter(active=True).select_related("parent")


@extend_schema(
    responses={200: io.CategoryOut(many=True), **ERRORS}, summary="诉求分类（提交时用其编号）"
)
class CategoryList(ListAPIView):
    serializer_class = io.CategoryOut
    pagination_class = None

    def get_queryset(self):
        actor_of(self.request)
        return queries.categories_for_select()
