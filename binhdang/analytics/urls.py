"""Monitoring: progress against targets, roll-up over the hierarchy, dashboards (mounted at /theo-doi/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("ke-hoach/<int:pk>/", views.plan_dashboard, name="dashboard-plan"),
    path("dia-ban/<int:unit_id>/", views.unit_dashboard, name="dashboard-unit"),
    path("cach-tinh/", views.method, name="dashboard-method"),
]
