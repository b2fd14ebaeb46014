"""The API's addresses (imported by urls.py once the API apps are installed)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import token_views, views
from .errors import not_found

router = DefaultRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("units", views.UnitViewSet, basename="unit")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("reports", views.ReportViewSet, basename="report")
router.register("values", views.ValueViewSet, basename="value")

urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("token/", token_views.token_obtain, name="token"),
    *router.urls,
    re_path(r"^.*$", not_found),
]
