"""Thin API views: every read goes through the permission selectors, every write through the services.

An object the user may not see answers 404, exactly like one that does not exist (docs/permissions.md).
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Model, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from binhdang.lib.agency_names import agency_key
from binhdang.lib.text import fold
from binhdang.places.models import AdministrativeUnit
from binhdang.plans.interchange import plan_export
from binhdang.plans.models import Indicator
from binhdang.plans.selectors import agencies_visible_to, plans_visible_to
from binhdang.reporting import services
from binhdang.reporting.checks import Entry
from binhdang.reporting.errors import InvalidValues, Issue, ReportingError
from binhdang.reporting.models import Report, Sex, Value
from binhdang.reporting.selectors import periods_visible_to, reports_visible_to

from . import serializers as s
from .errors import issue_json, reporting_error_response

ID_RE = re.compile(r"[1-9][0-9]{0,18}")

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="Malformed input; DRF's field errors or named issues."),
    403: OpenApiResponse(s.ErrorSerializer, description="Visible, but this user may not change it."),
    404: OpenApiResponse(s.ErrorSerializer, description="No such report, or not visible to this user."),
    409: OpenApiResponse(s.ErrorSerializer, description="Stale version, closed period, or locked report."),
}


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only collection scoped by a selector, with typed query-parameter filters on the list."""

    filter_class: type[serializers.Serializer] | None = None

    def visible(self) -> QuerySet[Any]:
        raise NotImplementedError

    def filter(self, queryset: QuerySet[Any], params: dict[str, Any]) -> QuerySet[Any]:
        return queryset.filter(**params)

    def get_queryset(self) -> QuerySet[Any]:
        return self.visible()

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.action != "list" or self.filter_class is None:
            return queryset
        params = self.filter_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        given = {key: value for key, value in params.validated_data.items() if value is not None}
        return self.filter(queryset, given)

    def get_object(self) -> Model:
        raw = str(self.kwargs.get("pk", ""))
        # Checked before the database sees it: a 30-digit id overflows SQLite's integer and would be a 500.
        if not ID_RE.fullmatch(raw) or int(raw) > s.MAX_ID:
            raise NotFound
        obj = self.get_queryset().filter(pk=int(raw)).first()
        if obj is None:
            raise NotFound
        self.check_object_permissions(self.request, obj)
        return obj


def _list(filters: type[serializers.Serializer]) -> Any:
    return extend_schema_view(list=extend_schema(parameters=[filters]))


@_list(s.PlanFilter)
class PlanViewSet(ScopedViewSet):
    """Plans the user may see. The detail is the plan's full plan/1 document (docs/plan-format.md)."""

    serializer_class = s.PlanSerializer
    filter_class = s.PlanFilter

    def visible(self) -> QuerySet[Any]:
        return plans_visible_to(self.request.user).order_by("-year_start", "pk")

    def filter(self, queryset: QuerySet[Any], params: dict[str, Any]) -> QuerySet[Any]:
        year = params.pop("year", None)
        if year is not None:
            queryset = queryset.filter(year_start__lte=year, year_end__gte=year)
        return queryset.filter(**params)

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: ERRORS[404]})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.get_object()
        return Response(plan_export(plan))  # type: ignore[arg-type]


@_list(s.UnitFilter)
class UnitViewSet(ScopedViewSet):
    """Administrative units, both generations (reference data every signed-in user may read)."""

    serializer_class = s.UnitSerializer
    filter_class = s.UnitFilter

    def visible(self) -> QuerySet[Any]:
        return AdministrativeUnit.objects.order_by("generation", "code", "pk")

    def filter(self, queryset: QuerySet[Any], params: dict[str, Any]) -> QuerySet[Any]:
        q = params.pop("q", None)
        if q:
            queryset = queryset.filter(name_key__contains=fold(q))
        return queryset.filter(**params)


@_list(s.AgencyFilter)
class AgencyViewSet(ScopedViewSet):
    """Agencies of the units the user may see."""

    serializer_class = s.AgencySerializer
    filter_class = s.AgencyFilter

    def visible(self) -> QuerySet[Any]:
        return agencies_visible_to(self.request.user).order_by("unit__code", "name", "pk")

    def filter(self, queryset: QuerySet[Any], params: dict[str, Any]) -> QuerySet[Any]:
        q = params.pop("q", None)
        if q:
            queryset = queryset.filter(Q(name__icontains=q) | Q(name_key__contains=agency_key(q)))
        return queryset.filter(**params)


@_list(s.IndicatorFilter)
class IndicatorViewSet(ScopedViewSet):
    """Indicators of the plans the user may see."""

    serializer_class = s.IndicatorSerializer
    filter_class = s.IndicatorFilter

    def visible(self) -> QuerySet[Any]:
        return Indicator.objects.filter(plan__in=plans_visible_to(self.request.user)).order_by("plan_id", "order", "pk")


@_list(s.PeriodFilter)
class PeriodViewSet(ScopedViewSet):
    """Reporting periods of the plans the user may see."""

    serializer_class = s.PeriodSerializer
    filter_class = s.PeriodFilter

    def visible(self) -> QuerySet[Any]:
        return periods_visible_to(self.request.user).order_by("plan_id", "due", "kind", "pk")


@_list(s.ReportFilter)
class ReportViewSet(ScopedViewSet):
    """Reports the user may see; its own agency's reports are written through `values` and `submit`."""

    serializer_class = s.ReportSerializer
    filter_class = s.ReportFilter

    def visible(self) -> QuerySet[Any]:
        return (
            reports_visible_to(self.request.user)
            .prefetch_related("indicator_lines")
            .order_by("period__due", "period_id", "pk")
        )

    def filter(self, queryset: QuerySet[Any], params: dict[str, Any]) -> QuerySet[Any]:
        plan = params.pop("plan", None)
        if plan is not None:
            queryset = queryset.filter(period__plan_id=plan)
        return queryset.filter(**params)

    @extend_schema(
        request=s.ValuesWriteSerializer,
        responses={200: s.ValuesSavedSerializer, **ERRORS},
        description=(
            "Save values of the report's indicators as a draft, through the same service as the entry form: "
            "the same permission rules, audit trail and optimistic locking. Values that break a check (parts "
            "of a group against their total included) are saved and listed in `issues` (they block submission, "
            "as in the form); an indicator outside the report, a group (`combo`) the indicator is not reported "
            "by, a duplicate, or a number that is not a number refuses the whole request."
        ),
    )
    @action(detail=True, methods=["post"], url_path="values")
    def values(self, request: Request, pk: str | None = None) -> Response:
        report: Report = self.get_object()  # type: ignore[assignment]
        body = s.ValuesWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows: list[dict[str, Any]] = body.validated_data["values"]
        entries = [
            Entry(
                indicator_id=row["indicator"],
                sex=row["sex"],
                value=row.get("value"),
                numerator=row.get("numerator"),
                denominator=row.get("denominator"),
                source=row.get("source", ""),
                note=row.get("note", ""),
                combo=row.get("combo", ""),
            )
            for row in rows
        ]
        fields = _issue_fields(entries)
        try:
            services.report_assert_editable(report, request.user)
            _refuse_sexes_not_asked(entries)
            saved = services.report_save(
                report=report, user=request.user, version=body.validated_data["version"], entries=entries
            )
        except ReportingError as exc:
            return reporting_error_response(exc, fields)
        saved = self.get_queryset().get(pk=saved.pk)
        issues = [issue_json(issue, fields) for issue in services.report_problems(saved)]
        return Response({"report": s.ReportSerializer(saved).data, "issues": issues})

    @extend_schema(
        request=s.SubmitSerializer,
        responses={200: s.ReportSerializer, **ERRORS},
        description="Send the report for review (the reporter only). Refused with `issues` while any remain.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        report: Report = self.get_object()  # type: ignore[assignment]
        body = s.SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            submitted = services.report_submit(report=report, user=request.user, version=body.validated_data["version"])
        except ReportingError as exc:
            return reporting_error_response(exc)
        return Response(s.ReportSerializer(self.get_queryset().get(pk=submitted.pk)).data)


def _issue_fields(entries: list[Entry]) -> dict[str, str]:
    """Map the services' issue locations ("indicator:12:female:numerator", then ":<combo>" for a group's cell)
    to request fields. A group the indicator is not reported by is about the row's `combo`, not its number:
    such an issue is looked up under "<code>@<where>" first (api.errors.issue_json)."""
    fields: dict[str, str] = {}
    for index, entry in enumerate(entries):
        fields[f"indicator:{entry.indicator_id}"] = f"values[{index}].indicator"
        suffix = f":{entry.combo}" if entry.combo else ""
        for attr in ("value", "numerator", "denominator", "source", "note"):
            where = f"indicator:{entry.indicator_id}:{entry.sex}:{attr}{suffix}"
            fields[where] = f"values[{index}].{attr}"
            if entry.combo:
                fields[f"combo_undeclared@{where}"] = f"values[{index}].combo"
    return fields


def _refuse_sexes_not_asked(entries: list[Entry]) -> None:
    """Female and male figures only for indicators disaggregated by sex: the form has no other cells."""
    split = {e.indicator_id for e in entries if e.sex != Sex.TOTAL}
    if not split:
        return
    asked = {
        pk: "sex" in (disaggregations or [])
        for pk, disaggregations in Indicator.objects.filter(pk__in=split).values_list("pk", "disaggregations")
    }
    issues = [
        Issue(
            "error",
            f"indicator:{e.indicator_id}:{e.sex}:value" + (f":{e.combo}" if e.combo else ""),
            "not disaggregated by sex",
        )
        for e in entries
        if e.sex != Sex.TOTAL and asked.get(e.indicator_id) is False
    ]
    if issues:
        raise InvalidValues(issues)


@_list(s.ValueFilter)
class ValueViewSet(ScopedViewSet):
    """Values of the reports the user may see. The list gives the totals unless `combo` asks for groups
    ("all", or one group's key): a client that sums a list as before never adds a part into its total."""

    serializer_class = s.ValueSerializer
    filter_class = s.ValueFilter

    def visible(self) -> QuerySet[Any]:
        # Every value, groups included: a single value is shown with its `combo`; the list filters below.
        return Value.objects.filter(report__in=reports_visible_to(self.request.user)).order_by(
            "report_id", "indicator_id", "combo", "sex", "pk"
        )

    def filter(self, queryset: QuerySet[Any], params: dict[str, Any]) -> QuerySet[Any]:
        combo = params.pop("combo", "")  # absent: the totals, as before groups existed
        if combo != s.ALL_COMBOS:
            queryset = queryset.filter(combo=combo)
        return queryset.filter(**params)
