"""What the API shows and accepts. Reads are plain model serializers; the value write is parsed here and
handed to reporting.services.report_save, which alone decides what may be stored."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from binhdang.places.models import AdministrativeUnit, Agency, AgencyKind, Generation, Level
from binhdang.plans.categories import AGE, AREA, ETHNICITY, CategoryError, combo_key, parse_combo
from binhdang.plans.models import INDICATOR_FIELDS, Indicator, Measure, Plan, PlanStatus
from binhdang.reporting.models import Period, Report, ReportStatus, Sex, Value

# Ids are 64-bit; a larger number cannot name anything, and some databases refuse to compare with it.
MAX_ID = 2**63 - 1


def id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- reads ---------------------------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["id", "generation", "code", "name", "kind", "level", "parent", "valid_from", "valid_to"]


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "kind", "unit", "email"]


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id",
            "kind",
            "code",
            "title",
            "issuer",
            "unit",
            "level",
            "year_start",
            "year_end",
            "status",
            "issued_on",
            "parent",
            "updated_at",
        ]


# The indicator fields API v1 does not publish (docs/api.md): publishing one is an API change, decided on its own.
INDICATOR_NOT_PUBLISHED: dict[str, str] = {
    "project": "API v1 has no projects endpoint, so the id would point nowhere",
    "baseline_year": "baselines are not part of API v1",
    "baseline_value": "baselines are not part of API v1",
}


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "plan", "key", *(name for name in INDICATOR_FIELDS if name not in INDICATOR_NOT_PUBLISHED)]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "plan", "kind", "year", "number", "label", "data_from", "data_to", "due", "closed"]


class ReportSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="period.plan_id", read_only=True)
    indicators = serializers.SerializerMethodField(help_text="The indicators this report must give values for.")

    class Meta:
        model = Report
        fields = [
            "id",
            "period",
            "plan",
            "reporter",
            "unit",
            "is_committee",
            "status",
            "summary",
            "submitted_at",
            "late",
            "decided_at",
            "return_comment",
            "version",
            "updated_at",
            "indicators",
        ]

    def get_indicators(self, report: Report) -> list[int]:
        return sorted(line.indicator_id for line in report.indicator_lines.all())


# The group fields of a value (issue 16), each a category of plans/categories.py; "" on a total.
GROUP_FIELDS = {"age_group": AGE, "ethnicity": ETHNICITY, "area": AREA}
COMBO_HELP = (
    'The group this value is for, as the canonical key "age=15-24;ethnicity=dtts;area=rural" (categories in '
    'that order, each optional); "" for the total over all groups.'
)


class ValueSerializer(serializers.ModelSerializer):
    combo = serializers.CharField(read_only=True, help_text=COMBO_HELP)
    age_group = serializers.SerializerMethodField(help_text='"15-24", "60+", ...; "" when not by age group.')
    ethnicity = serializers.SerializerMethodField(help_text='"kinh", "dtts"; "" when not by ethnicity.')
    area = serializers.SerializerMethodField(help_text='"urban", "rural"; "" when not by area.')

    class Meta:
        model = Value
        fields = [
            "id",
            "report",
            "indicator",
            "sex",
            "value",
            "numerator",
            "denominator",
            "source",
            "note",
            "combo",
            *GROUP_FIELDS,
        ]

    def get_age_group(self, value: Value) -> str:
        return parse_combo(value.combo).get(AGE, "")

    def get_ethnicity(self, value: Value) -> str:
        return parse_combo(value.combo).get(ETHNICITY, "")

    def get_area(self, value: Value) -> str:
        return parse_combo(value.combo).get(AREA, "")


# --- filters (query parameters of the list endpoints) --------------------------------------------------------


class PlanFilter(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    year = serializers.IntegerField(min_value=1900, max_value=2100, required=False, help_text="A year the plan covers.")
    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)
    unit = id_field(required=False)


class UnitFilter(serializers.Serializer):
    generation = serializers.ChoiceField(choices=Generation.choices, required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    parent = id_field(required=False)
    q = serializers.CharField(required=False, max_length=120, help_text="Part of the name, accents optional.")


class AgencyFilter(serializers.Serializer):
    unit = id_field(required=False)
    kind = serializers.ChoiceField(choices=AgencyKind.choices, required=False)
    q = serializers.CharField(required=False, max_length=120, help_text="Part of the name, accents optional.")


class IndicatorFilter(serializers.Serializer):
    plan = id_field(required=False)
    measure = serializers.ChoiceField(choices=Measure.choices, required=False)


class PeriodFilter(serializers.Serializer):
    plan = id_field(required=False)
    year = serializers.IntegerField(min_value=1900, max_value=2100, required=False)
    closed = serializers.BooleanField(required=False, allow_null=True, default=None)


class ReportFilter(serializers.Serializer):
    plan = id_field(required=False)
    period = id_field(required=False)
    unit = id_field(required=False)
    reporter = id_field(required=False)
    status = serializers.ChoiceField(choices=ReportStatus.choices, required=False)


ALL_COMBOS = "all"


def canonical_combo(text: str) -> str:
    """A combination's key as a client wrote it, in canonical form; one that cannot be read is a field error."""
    try:
        return combo_key(parse_combo(text.strip()))
    except CategoryError as error:
        raise serializers.ValidationError(str(error)) from error


class ValueFilter(serializers.Serializer):
    report = id_field(required=False)
    indicator = id_field(required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    combo = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=120,
        help_text=(
            'Which groups: absent or "" the totals only (as before groups existed, so that summing a list never '
            'counts a part twice); "all" every group and the totals; a key such as "ethnicity=dtts" that group only.'
        ),
    )

    def validate_combo(self, value: str) -> str:
        return ALL_COMBOS if value.strip() == ALL_COMBOS else canonical_combo(value)


# --- writes --------------------------------------------------------------------------------------------------


def _number(**kwargs: Any) -> serializers.DecimalField:
    # The model's precision: a number it cannot hold is refused here rather than rounded on the way in.
    return serializers.DecimalField(max_digits=20, decimal_places=4, required=False, allow_null=True, **kwargs)


class ValueInputSerializer(serializers.Serializer):
    indicator = id_field()
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.TOTAL)
    value = _number()
    numerator = _number()
    denominator = _number()
    source = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    combo = serializers.CharField(max_length=120, required=False, allow_blank=True, help_text=COMBO_HELP)
    age_group = serializers.CharField(max_length=20, required=False, allow_blank=True)
    ethnicity = serializers.CharField(max_length=20, required=False, allow_blank=True)
    area = serializers.CharField(max_length=20, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The group as ``combo`` or as the fields a read gives (``age_group``, ``ethnicity``, ``area``), so that
        a value read can be sent back as it is; both given must name the same group. Whether the indicator is
        reported by that group is the service's check (reporting.checks.check_combo_declared)."""
        given: dict[str, str] = {}
        for name, category in GROUP_FIELDS.items():
            member = (attrs.pop(name, "") or "").strip()
            if not member:
                continue
            try:
                combo_key({category: member})
            except CategoryError as error:
                raise serializers.ValidationError({name: str(error)}) from error
            given[category] = member
        from_fields = combo_key(given)
        if "combo" not in attrs:
            attrs["combo"] = from_fields
            return attrs
        try:
            attrs["combo"] = canonical_combo(attrs["combo"])
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"combo": error.detail}) from error
        if given and from_fields != attrs["combo"]:
            raise serializers.ValidationError(
                {
                    "combo": _("“%(combo)s” không khớp với nhóm tuổi, dân tộc, khu vực đã gửi.")
                    % {"combo": attrs["combo"]}
                }
            )
        return attrs


class ValuesWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The report's `version` as last read; a newer one is refused."
    )
    values = ValueInputSerializer(many=True, max_length=2000)

    def validate_values(self, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        seen: set[tuple[int, str, str]] = set()
        for value in values:
            key = (value["indicator"], value["sex"], value["combo"])
            if key in seen:
                where = f"{key[1]}, {key[2]}" if key[2] else key[1]
                raise serializers.ValidationError(
                    _("Chỉ tiêu %(indicator)s, %(sex)s xuất hiện hai lần.") % {"indicator": key[0], "sex": where}
                )
            seen.add(key)
        return values


class SubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The report's `version` as last read; a newer one is refused."
    )


class IssueSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["error", "warning"])
    where = serializers.CharField(help_text='"indicator:<id>:<sex>:<field>", "task:<id>" or "report".')
    field = serializers.CharField(allow_null=True, help_text='The request field, as "values[2].numerator".')
    message = serializers.CharField()


class ValuesSavedSerializer(serializers.Serializer):
    report = ReportSerializer()
    issues = IssueSerializer(many=True, help_text="What still stops submission (the same checks as the form).")


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    issues = IssueSerializer(many=True, required=False)
