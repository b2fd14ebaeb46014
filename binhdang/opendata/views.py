"""The public, read-only open-data section: no sign-in, GET and HEAD only, published and accepted data only."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from binhdang.lib.http import found_or_404
from binhdang.lib.safe_cells import CsvDictWriter

from .charts import bar_chart
from .models import PublishedIndicator
from .selectors import (
    SEX_LABELS,
    Record,
    dictionary_entry,
    fields,
    indicator_records,
    published_indicator,
    published_indicators,
)


def _publication(pk: int) -> PublishedIndicator:
    return found_or_404(published_indicator(pk), "publication")


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "opendata/index.html", {"publications": published_indicators()})


def indicator_context(publication: PublishedIndicator) -> dict[str, Any]:
    """What the public page of an indicator shows; the publishing page's preview shows the same."""
    indicator = publication.indicator
    records = indicator_records(indicator)  # the totals: the page's table and chart never mix in the groups
    sexes = [s for s in ("total", "female", "male") if any(r.sex == s for r in records)] or ["total"]
    # period -> unit -> sex -> record: the table reads by period, one row per unit, one column per sex.
    grid: dict[Any, dict[Any, dict[str, Record]]] = defaultdict(lambda: defaultdict(dict))
    for record in records:
        grid[record.period][record.unit][record.sex] = record
    periods = []
    for period, units in grid.items():
        rows = [(unit, [cells.get(sex) for sex in sexes]) for unit, cells in units.items()]
        chart = bar_chart(
            f"{indicator.text} – {period.label}",
            [(unit.name, cells["total"].figure if "total" in cells else None) for unit, cells in units.items()],
        )
        periods.append({"period": period, "rows": rows, "chart": chart})
    return {
        "publication": publication,
        "indicator": indicator,
        "entry": dictionary_entry(publication),
        "sexes": [(s, SEX_LABELS[s]) for s in sexes],
        "periods": periods,
    }


@require_safe
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "opendata/indicator.html", indicator_context(_publication(pk)))


@require_safe
def indicator_csv(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(pk)
    indicator = publication.indicator
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chi-tieu-{indicator.pk}.csv"'
    response.write("\ufeff")  # so that Excel opens the Vietnamese text as UTF-8
    writer = CsvDictWriter(response, fieldnames=[name for name, _ in fields()], lineterminator="\n")
    writer.writeheader()
    for record in indicator_records(indicator, parts=True):
        writer.writerow({k: "" if v is None else v for k, v in record.as_dict(indicator).items()})
    return response


@require_safe
def indicator_json(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(pk)
    indicator = publication.indicator
    payload = {
        "indicator": dictionary_entry(publication),
        "fields": [{"name": name, "description": text} for name, text in fields()],
        "records": [record.as_dict(indicator) for record in indicator_records(indicator, parts=True)],
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'inline; filename="chi-tieu-{indicator.pk}.json"'
    return response


@require_safe
def dictionary(request: HttpRequest) -> HttpResponse:
    entries = [dictionary_entry(p) for p in published_indicators()]
    return render(request, "opendata/dictionary.html", {"fields": fields(), "entries": entries})


@require_safe
def dictionary_json(request: HttpRequest) -> HttpResponse:
    payload = {
        "fields": [{"name": name, "description": text} for name, text in fields()],
        "indicators": [dictionary_entry(p) for p in published_indicators()],
    }
    return HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
