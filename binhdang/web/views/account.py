"""The signed-in user's own account: changing the password (which also revokes the user's API token)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view (old password checked, validators applied, this session kept) in the product's layout.

    The API token goes with the old password: binhdang/api/tokens.py revokes it whenever the hash changes.
    """

    template_name = "web/password_change.html"
    success_url = reverse_lazy("password-change")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request, _("Đã đổi mật khẩu. Khóa API cũ (nếu có) đã bị thu hồi; hãy lấy khóa mới khi cần.")
        )
        return response


password_change = PasswordChangeView.as_view()
