from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("binhdang.api.urls")),
    path("van-ban/", include("binhdang.documents.urls")),
    path("theo-doi/", include("binhdang.analytics.urls")),
    path("du-lieu-mo/", include("binhdang.opendata.urls")),
    path("", include("binhdang.web.urls")),
]

# 403 and 404 are Django's views with templates/403.html and 404.html; the 500 page needs the request.
handler500 = "binhdang.web.views.errors.server_error_page"
