"""Monitoring: progress against targets, roll-up over the hierarchy, dashboards (mounted at /theo-doi/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="dashboard-index"),
    path("ke-hoach/<id:pk>/", views.plan_dashboard, name="dashboard-plan"),
    path("ke-hoach/<id:pk>/kinh-phi/", views.plan_budget, name="dashboard-budget"),
    path("ke-hoach/<id:pk>/nhiem-vu/", views.plan_tasks, name="dashboard-tasks"),
    path("quoc-gia/", views.national, name="dashboard-national"),
    path("dia-ban/<id:unit_id>/", views.unit_dashboard, name="dashboard-unit"),
    path("cach-tinh/", views.method, name="dashboard-method"),
]
