"""URL map of the web interface. Read pages live in views/browse.py, forms in views/edit.py (a whole plan) and
views/edit_parts.py (its parts)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from .views import (
    account,
    browse,
    edit,
    edit_parts,
    inspections,
    jobs,
    notices,
    opendata_publish,
    periods,
    reader,
    reminders,
    report_workflow,
    reports,
    spreadsheets,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", account.password_change, name="password-change"),
    path("", browse.home, name="home"),
    path("ke-hoach/", browse.plan_list, name="plan-list"),
    path("ke-hoach/<id:pk>/", browse.plan_detail, name="plan-detail"),
    path("ke-hoach/<id:pk>/xuat.json", browse.plan_export_json, name="plan-export"),
    path("don-vi/<id:pk>/", browse.agency_work, name="agency-work"),
    path("viec-cua-toi/", browse.my_work, name="my-work"),
    # Writes: every view calls a service in binhdang.plans.services and maps its errors to messages.
    path("ke-hoach/moi/", edit.plan_create, name="plan-create"),
    path("ke-hoach/<id:pk>/sua/", edit.plan_update, name="plan-update"),
    path("ke-hoach/<id:pk>/xoa/", edit.plan_delete, name="plan-delete"),
    path("ke-hoach/<id:pk>/xay-dung-ke-hoach-cap-duoi/", edit.plan_derive, name="plan-derive"),
    path("ke-hoach/<id:pk>/nap-json/", edit.plan_import_json, name="plan-import-json"),
    path("ke-hoach/nap-json/", edit.plan_import_json, name="plan-import-json-new"),
    path("ke-hoach/<id:pk>/<str:part>/them/", edit_parts.part_create, name="part-create"),
    path("ke-hoach/<id:pk>/<str:part>/<id:item>/sua/", edit_parts.part_update, name="part-update"),
    path("ke-hoach/<id:pk>/<str:part>/<id:item>/xoa/", edit_parts.part_delete, name="part-delete"),
    path("ke-hoach/<id:pk>/<str:part>/<id:item>/ngung-theo-doi/", edit_parts.part_retire, name="part-retire"),
    path("ke-hoach/<id:pk>/chi-tieu-chien-luoc/", edit.indicator_adopt, name="indicator-adopt"),
    # Background jobs (views/jobs.py): progress while they run, then the result or the file.
    path("cong-viec/<id:pk>/", jobs.job_status, name="job-status"),
    path("cong-viec/<id:pk>/trang-thai.json", jobs.job_status_json, name="job-status-json"),
    path("cong-viec/<id:pk>/tep/", jobs.job_file, name="job-file"),
    # The plan reader: upload, progress, review beside the source text, accept.
    path("doc-van-ban/", reader.upload, name="reader-upload"),
    path("doc-van-ban/<id:pk>/", reader.status, name="reader-status"),
    path("doc-van-ban/<id:pk>/trang-thai.json", reader.status_json, name="reader-status-json"),
    path("doc-van-ban/<id:pk>/duyet/", reader.review, name="reader-review"),
    # The reporting cycle: reports and entry (views/reports.py), their workflow (views/report_workflow.py),
    # periods, completeness and compilation (views/periods.py), notices (views/notices.py).
    path("bao-cao/", reports.report_list, name="report-list"),
    path("bao-cao/<id:pk>/", reports.report_detail, name="report-detail"),
    path("bao-cao/<id:pk>/gui/", report_workflow.report_submit, name="report-submit"),
    path("bao-cao/<id:pk>/tra-lai/", report_workflow.report_return, name="report-return"),
    path("bao-cao/<id:pk>/chap-nhan/", report_workflow.report_accept, name="report-accept"),
    path("bao-cao/<id:pk>/mo-lai/", report_workflow.report_reopen, name="report-reopen"),
    path("bao-cao/<id:pk>/nhac-nop/", reminders.report_remind_view, name="report-remind"),
    path("bao-cao/<id:pk>/lay-so-lieu-tong-hop/", report_workflow.report_fill_upward, name="report-fill-upward"),
    path("ke-hoach/<id:pk>/ky-bao-cao/", periods.plan_periods, name="plan-periods"),
    path("ke-hoach/<id:pk>/ky-bao-cao/tao/", periods.periods_generate, name="periods-generate"),
    path("ke-hoach/<id:pk>/tinh-hinh-bao-cao/", periods.plan_completeness, name="plan-completeness"),
    path("ky-bao-cao/<id:pk>/", periods.period_detail, name="period-detail"),
    path("ky-bao-cao/<id:pk>/tong-hop/", periods.period_compiled, name="period-compiled"),
    path("thong-bao/", notices.notice_list, name="notice-list"),
    # Spreadsheets (views/spreadsheets.py): the Excel round trip and CSV import.
    path("bao-cao/<id:pk>/excel/", spreadsheets.report_xlsx, name="report-xlsx"),
    path("bao-cao/<id:pk>/excel/tai-len/", spreadsheets.report_xlsx_upload, name="report-xlsx-upload"),
    path("bao-cao/<id:pk>/csv/tai-len/", spreadsheets.report_csv_upload, name="report-csv-upload"),
    path("ky-bao-cao/<id:pk>/excel/", spreadsheets.period_xlsx, name="period-xlsx"),
    path("ky-bao-cao/<id:pk>/excel/tai-len/", spreadsheets.period_xlsx_upload, name="period-xlsx-upload"),
    # Open data chosen by the plan's standing agency (views/opendata_publish.py).
    path("ke-hoach/<id:pk>/du-lieu-mo/", opendata_publish.plan_opendata, name="plan-opendata"),
    path(
        "ke-hoach/<id:pk>/du-lieu-mo/<id:indicator>/xem-truoc/",
        opendata_publish.opendata_preview,
        name="opendata-preview",
    ),
    # Inspections and reviews (views/inspections.py).
    path("ke-hoach/<id:pk>/kiem-tra/", inspections.inspection_list, name="inspection-list"),
    path("ke-hoach/<id:pk>/kiem-tra/moi/", inspections.inspection_create, name="inspection-create"),
    path("kiem-tra/<id:pk>/", inspections.inspection_detail, name="inspection-detail"),
    path("phat-hien/<id:pk>/dong/", inspections.finding_close, name="finding-close"),
    path("ke-hoach/<id:pk>/so-ket-tong-ket/<id:period>/", inspections.review_summary, name="review-summary"),
]
