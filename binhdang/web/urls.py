"""URL map of the web interface. Read pages live in views/browse.py, forms in views/edit.py."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from binhdang.ops.ratelimit import login_rate_limited

from .views import browse, edit, inspections, jobs, reader, reporting, spreadsheets

urlpatterns: list[URLPattern | URLResolver] = [
    path("dang-nhap/", login_rate_limited(auth_views.LoginView.as_view(template_name="web/login.html")), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", browse.home, name="home"),
    path("ke-hoach/", browse.plan_list, name="plan-list"),
    path("ke-hoach/<int:pk>/", browse.plan_detail, name="plan-detail"),
    path("ke-hoach/<int:pk>/xuat.json", browse.plan_export_json, name="plan-export"),
    path("don-vi/<int:pk>/", browse.agency_work, name="agency-work"),
    path("viec-cua-toi/", browse.my_work, name="my-work"),
    # Writes: every view calls a service in binhdang.plans.services and maps its errors to messages.
    path("ke-hoach/moi/", edit.plan_create, name="plan-create"),
    path("ke-hoach/<int:pk>/sua/", edit.plan_update, name="plan-update"),
    path("ke-hoach/<int:pk>/xoa/", edit.plan_delete, name="plan-delete"),
    path("ke-hoach/<int:pk>/xay-dung-ke-hoach-cap-duoi/", edit.plan_derive, name="plan-derive"),
    path("ke-hoach/<int:pk>/nap-json/", edit.plan_import_json, name="plan-import-json"),
    path("ke-hoach/nap-json/", edit.plan_import_json, name="plan-import-json-new"),
    path("ke-hoach/<int:pk>/<str:part>/them/", edit.part_create, name="part-create"),
    path("ke-hoach/<int:pk>/<str:part>/<int:item>/sua/", edit.part_update, name="part-update"),
    path("ke-hoach/<int:pk>/<str:part>/<int:item>/xoa/", edit.part_delete, name="part-delete"),
    path("ke-hoach/<int:pk>/chi-tieu-chien-luoc/", edit.indicator_adopt, name="indicator-adopt"),
    # Background jobs (views/jobs.py): progress while they run, then the result or the file.
    path("cong-viec/<int:pk>/", jobs.job_status, name="job-status"),
    path("cong-viec/<int:pk>/trang-thai.json", jobs.job_status_json, name="job-status-json"),
    path("cong-viec/<int:pk>/tep/", jobs.job_file, name="job-file"),
    # The plan reader: upload, progress, review beside the source text, accept.
    path("doc-van-ban/", reader.upload, name="reader-upload"),
    path("doc-van-ban/<int:pk>/", reader.status, name="reader-status"),
    path("doc-van-ban/<int:pk>/trang-thai.json", reader.status_json, name="reader-status-json"),
    path("doc-van-ban/<int:pk>/duyet/", reader.review, name="reader-review"),
    # The reporting cycle (views/reporting.py): reports, workflow, periods, completeness, compilation.
    path("bao-cao/", reporting.report_list, name="report-list"),
    path("bao-cao/<int:pk>/", reporting.report_detail, name="report-detail"),
    path("bao-cao/<int:pk>/gui/", reporting.report_submit, name="report-submit"),
    path("bao-cao/<int:pk>/tra-lai/", reporting.report_return, name="report-return"),
    path("bao-cao/<int:pk>/chap-nhan/", reporting.report_accept, name="report-accept"),
    path("bao-cao/<int:pk>/mo-lai/", reporting.report_reopen, name="report-reopen"),
    path("bao-cao/<int:pk>/lay-so-lieu-tong-hop/", reporting.report_fill_upward, name="report-fill-upward"),
    path("ke-hoach/<int:pk>/ky-bao-cao/", reporting.plan_periods, name="plan-periods"),
    path("ke-hoach/<int:pk>/ky-bao-cao/tao/", reporting.periods_generate, name="periods-generate"),
    path("ke-hoach/<int:pk>/tinh-hinh-bao-cao/", reporting.plan_completeness, name="plan-completeness"),
    path("ky-bao-cao/<int:pk>/", reporting.period_detail, name="period-detail"),
    path("ky-bao-cao/<int:pk>/tong-hop/", reporting.period_compiled, name="period-compiled"),
    path("thong-bao/", reporting.notice_list, name="notice-list"),
    # Spreadsheets (views/spreadsheets.py): the Excel round trip and CSV import.
    path("bao-cao/<int:pk>/excel/", spreadsheets.report_xlsx, name="report-xlsx"),
    path("bao-cao/<int:pk>/excel/tai-len/", spreadsheets.report_xlsx_upload, name="report-xlsx-upload"),
    path("bao-cao/<int:pk>/csv/tai-len/", spreadsheets.report_csv_upload, name="report-csv-upload"),
    path("ky-bao-cao/<int:pk>/excel/", spreadsheets.period_xlsx, name="period-xlsx"),
    path("ky-bao-cao/<int:pk>/excel/tai-len/", spreadsheets.period_xlsx_upload, name="period-xlsx-upload"),
    # Inspections and reviews (views/inspections.py).
    path("ke-hoach/<int:pk>/kiem-tra/", inspections.inspection_list, name="inspection-list"),
    path("ke-hoach/<int:pk>/kiem-tra/moi/", inspections.inspection_create, name="inspection-create"),
    path("kiem-tra/<int:pk>/", inspections.inspection_detail, name="inspection-detail"),
    path("phat-hien/<int:pk>/dong/", inspections.finding_close, name="finding-close"),
    path("ke-hoach/<int:pk>/so-ket-tong-ket/<int:period>/", inspections.review_summary, name="review-summary"),
]
