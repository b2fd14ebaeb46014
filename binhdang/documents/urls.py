from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("ke-hoach/<id:pk>.docx", views.plan_file, {"fmt": "docx"}, name="document-plan-docx"),
    path("ke-hoach/<id:pk>.pdf", views.plan_file, {"fmt": "pdf"}, name="document-plan-pdf"),
    path("bao-cao/<id:pk>.docx", views.report_file, {"fmt": "docx"}, name="document-report-docx"),
    path("bao-cao/<id:pk>.pdf", views.report_file, {"fmt": "pdf"}, name="document-report-pdf"),
]
