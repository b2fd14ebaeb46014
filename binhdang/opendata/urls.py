from __future__ import annotations

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("chi-tieu/<id:pk>/", views.indicator_detail, name="indicator"),
    path("chi-tieu/<id:pk>.csv", views.indicator_csv, name="indicator-csv"),
    path("chi-tieu/<id:pk>.json", views.indicator_json, name="indicator-json"),
    path("tu-dien/", views.dictionary, name="dictionary"),
    path("tu-dien.json", views.dictionary_json, name="dictionary-json"),
]
