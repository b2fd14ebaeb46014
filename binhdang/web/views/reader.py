"""Upload a plan document, watch it being read, review what was found beside the text, accept it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from binhdang.docparse.notes import note_kind
from binhdang.lib.http import found_or_404
from binhdang.places.models import AdministrativeUnit, Agency, Generation
from binhdang.places.selectors import user_agency, user_is_admin
from binhdang.places.services import agency_find
from binhdang.plans.errors import PlanAlreadyExists, PlanFormatError, PlanNotEditable
from binhdang.plans.interchange import plan_validate
from binhdang.plans.units import plan_unit_resolve
from binhdang.reader.models import DocumentImport, ImportStatus
from binhdang.reader.review import (
    VERDICT_TITLES,
    agency_names,
    plan_for_loader,
    review_apply,
    review_sections,
    verdict_of,
)
from binhdang.reader.selectors import imports_visible_to
from binhdang.reader.services import (
    ImportNotReady,
    UploadRefused,
    document_accept,
    document_read_in_background,
    document_upload,
    max_upload_bytes,
)
from binhdang.web.forms import unit_by_code
from binhdang.web.messages import field_error_text

ACCEPTED_TYPES = ".txt,.docx,.pdf,.png,.jpg,.jpeg,.tif,.tiff"


def _failure_message(error: str) -> str:
    kind = error.split(":", 1)[0]
    known = {
        "UnsupportedFormat": _("Định dạng tệp không được hỗ trợ (chỉ nhận .txt, .docx, .pdf hoặc ảnh quét)."),
        "EncodingError": _("Không nhận ra bảng mã của tệp văn bản (hỗ trợ UTF-8, UTF-16, TCVN3, VNI)."),
        "EmptyDocument": _("Tệp không có nội dung chữ."),
        "CorruptDocument": _("Tệp bị hỏng, không đọc được."),
        "EncryptedDocument": _("Tệp PDF có mật khẩu; hãy gỡ mật khẩu rồi tải lên lại."),
        "TooLarge": _("Tệp quá lớn để đọc."),
        "OcrUnavailable": _("Máy chủ chưa cài phần mềm nhận dạng chữ (Tesseract) để đọc bản quét."),
    }
    return known.get(kind, _("Lỗi hệ thống khi đọc tệp."))


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        uploaded = request.FILES.get("document")
        if uploaded is None:
            messages.error(request, _("Hãy chọn một tệp văn bản kế hoạch."))
        elif uploaded.size is not None and uploaded.size > max_upload_bytes():
            # Refuse before reading the whole file into memory.
            messages.error(
                request,
                _("Tệp quá lớn: %(size)s MB; giới hạn là %(limit)s MB.")
                % {"size": round(uploaded.size / 1048576, 1), "limit": max_upload_bytes() // 1048576},
            )
        else:
            try:
                doc, created = document_upload(user=request.user, filename=uploaded.name or "", data=uploaded.read())
            except UploadRefused:
                messages.error(request, _("Tệp rỗng, không có gì để đọc."))
            else:
                if created:
                    document_read_in_background(import_id=doc.pk)
                elif doc.plan_id:
                    messages.info(request, _("Tệp này đã được tải lên và chấp nhận thành kế hoạch trước đây."))
                    return redirect("plan-detail", pk=doc.plan_id)
                else:
                    messages.info(request, _("Tệp này đã được tải lên trước đây; mở lại kết quả đọc."))
                return redirect("reader-status", pk=doc.pk)
    recent = imports_visible_to(request.user)[:20]
    return render(
        request,
        "reader/upload.html",
        {"recent": recent, "accept": ACCEPTED_TYPES, "limit_mb": max_upload_bytes() // 1048576},
    )


def _import_or_404(request: HttpRequest, pk: int) -> DocumentImport:
    return found_or_404(imports_visible_to(request.user).filter(pk=pk).first(), "upload")


@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _import_or_404(request, pk)
    if doc.status == ImportStatus.PARSED:
        return redirect("reader-review", pk=doc.pk)
    if doc.status == ImportStatus.ACCEPTED and doc.plan_id:
        return redirect("plan-detail", pk=doc.plan_id)
    failure = _failure_message(doc.error) if doc.status == ImportStatus.FAILED else ""
    return render(request, "reader/status.html", {"doc": doc, "failure": failure})


@login_required
def status_json(request: HttpRequest, pk: int) -> JsonResponse:
    doc = _import_or_404(request, pk)
    return JsonResponse(
        {
            "status": doc.status,
            "label": doc.get_status_display(),
            "progress": doc.progress,
            "finished": doc.is_finished,
            "next": reverse("reader-status", args=[doc.pk]),
        }
    )


def _units_for(
    request: HttpRequest, tree: dict[str, Any]
) -> tuple[AdministrativeUnit | None, list[AdministrativeUnit]]:
    doc = tree.get("document") or {}
    years = doc.get("years") or [None, None]
    on = None
    if doc.get("date"):
        on = dt.date.fromisoformat(doc["date"])
    elif years and isinstance(years[0], int):
        on = dt.date(years[0], 1, 1)
    guessed = None
    if on is not None:
        guessed = plan_unit_resolve(
            unit_code=doc.get("unit_code") or "",
            unit_path=doc.get("unit") or "",
            issuer=doc.get("issuer") or "",
            level=doc.get("level") or "",
            on=on,
        )
    choices = [guessed] if guessed else []
    agency = user_agency(request.user)
    if agency is not None and agency.unit not in choices:
        choices.append(agency.unit)
    return guessed, choices


def reader_note_vi(note: str) -> str:
    """A reader's note (docparse.notes) in the page's language; a note the pages do not know is shown as written."""
    kind, count = note_kind(note)
    if kind == "no-gender":
        return _(
            "Văn bản không nhắc đến bình đẳng giới; hệ thống vẫn đọc, vì nhiệm vụ bình đẳng giới thường nằm trong "
            "kế hoạch của lĩnh vực khác."
        )
    if kind == "not-called-plan":
        return _("Văn bản không tự gọi là kế hoạch (không có chữ “Kế hoạch”); hệ thống vẫn đọc như một kế hoạch.")
    if kind == "utf8-replaced":
        return _(
            "Tệp là UTF-8 nhưng có %(count)s byte hỏng (có thể do tệp bị cắt giữa một ký tự); mỗi byte hỏng được thay "
            "bằng dấu \ufffd, phần còn lại đọc đúng như văn bản."
        ) % {"count": count}
    return note


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _import_or_404(request, pk)
    if doc.status != ImportStatus.PARSED or not isinstance(doc.result, dict):
        return redirect("reader-status", pk=doc.pk)
    tree: dict[str, Any] = doc.result
    field_errors: dict[str, str] = {}
    plan_errors: list[str] = []
    duplicate: int | None = None
    guessed, unit_choices = _units_for(request, tree)
    unit = guessed
    if request.method == "POST":
        deletions = request.POST.getlist("delete")
        tree, field_errors = review_apply(tree, request.POST, deletions)
        unit = _chosen_unit(request, unit_choices)
        agency_map, agency_errors = _chosen_agencies(request, unit)
        plan_errors += agency_errors
        if unit is None:
            plan_errors.append(_("Chưa chọn địa bàn của kế hoạch."))
        if verdict_of(tree) == "not-plan":
            plan_errors.append(
                _("Văn bản này là %(what)s, không phải kế hoạch: không thể tạo kế hoạch từ nó.")
                % {"what": tree.get("not_plan") or _("một văn bản khác")}
            )
        if not field_errors and not plan_errors and unit is not None:
            try:
                stored = plan_for_loader(tree)
                plan_validate(stored)
                plan = document_accept(user=request.user, doc=doc, plan_data=stored, unit=unit, agency_map=agency_map)
            except PlanFormatError as exc:
                plan_errors += [
                    _("Ở %(path)s: %(message)s") % {"path": e.path, "message": field_error_text(e)} for e in exc.errors
                ]
            except PlanNotEditable:
                plan_errors.append(
                    _(
                        "Bạn không có quyền tạo kế hoạch cho địa bàn %(unit)s: chỉ cơ quan thường trực và Ủy ban "
                        "nhân dân của địa bàn đó được tạo. Hãy chọn đúng địa bàn của kế hoạch, hoặc nhờ cơ quan ấy "
                        "nạp văn bản."
                    )
                    % {"unit": unit}
                )
            except PlanAlreadyExists as exc:
                duplicate = exc.plan_id
            except ImportNotReady:
                plan_errors.append(_("Văn bản này đã được xử lý."))
            else:
                messages.success(request, _("Đã tạo kế hoạch dự thảo từ văn bản. Hãy kiểm tra và ban hành."))
                return redirect("plan-detail", pk=plan.pk)
    sections = review_sections(tree)
    for section in sections:
        for row in section.rows:
            for field in row.fields:
                field.error = field_errors.get(field.pointer, "")  # type: ignore[attr-defined]
    names = agency_names(tree)
    unit_agencies = list(Agency.objects.filter(unit=unit).order_by("name")) if unit else []
    agency_rows = [
        {"index": i, "name": name, "match": agency_find(name=name, unit=unit) if unit else None}
        for i, name in enumerate(names)
    ]
    return render(
        request,
        "reader/review.html",
        {
            "doc": doc,
            "tree": tree,
            "sections": sections,
            "source_text": (tree.get("source") or {}).get("text", ""),
            "verdict": verdict_of(tree),
            "verdict_title": VERDICT_TITLES[verdict_of(tree)],
            "not_plan": tree.get("not_plan"),
            "reader_notes": [reader_note_vi(n) for n in tree.get("notes") or [] if isinstance(n, str)],
            "duplicate": duplicate,
            "plan_errors": plan_errors,
            "field_error_count": len(field_errors),
            "unit": unit,
            "unit_choices": unit_choices,
            "is_admin": user_is_admin(request.user),
            "generations": Generation.choices,
            "agency_rows": agency_rows,
            "unit_agencies": unit_agencies,
        },
    )


def _chosen_unit(request: HttpRequest, choices: list[AdministrativeUnit]) -> AdministrativeUnit | None:
    raw = request.POST.get("unit", "")
    if raw.isdigit():
        chosen = next((u for u in choices if u.pk == int(raw)), None)
        if chosen is not None:
            return chosen
    code = request.POST.get("unit_code", "").strip()
    if code and user_is_admin(request.user):
        # People type the number and pick the list it belongs to; "legacy:19" typed whole still works.
        generation = request.POST.get("unit_generation") or Generation.CURRENT
        return unit_by_code(code if ":" in code else f"{generation}:{code}")
    return choices[0] if choices else None


def _chosen_agencies(request: HttpRequest, unit: AdministrativeUnit | None) -> tuple[dict[str, Agency], list[str]]:
    chosen: dict[str, Agency] = {}
    errors: list[str] = []
    index = 0
    while f"agency_name:{index}" in request.POST:
        name = request.POST[f"agency_name:{index}"]
        value = request.POST.get(f"agency:{index}", "")
        if value.isdigit():
            agency = Agency.objects.filter(pk=int(value), unit=unit).first()
            if agency is None:
                errors.append(_("Cơ quan chọn cho “%(name)s” không thuộc địa bàn của kế hoạch.") % {"name": name})
            else:
                chosen[name] = agency
        index += 1
    return chosen, errors
