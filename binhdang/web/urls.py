"""URL map of the web interface. Read pages live in views/browse.py, forms in views/edit.py."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from .views import browse, edit, reader

urlpatterns: list[URLPattern | URLResolver] = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
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
    # The plan reader: upload, progress, review beside the source text, accept.
    path("doc-van-ban/", reader.upload, name="reader-upload"),
    path("doc-van-ban/<int:pk>/", reader.status, name="reader-status"),
    path("doc-van-ban/<int:pk>/trang-thai.json", reader.status_json, name="reader-status-json"),
    path("doc-van-ban/<int:pk>/duyet/", reader.review, name="reader-review"),
]
