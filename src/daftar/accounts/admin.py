"""Admins see and end people's sessions (ASVS 7.4.5); lockouts are lifted in axes' own
admin (Access attempts: delete the row)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from daftar.accounts import services
from daftar.accounts.models import LoginSession
from daftar.org.models import User


@admin.register(LoginSession)
class LoginSessionAdmin(admin.ModelAdmin[LoginSession]):
    list_display = ("user", "started_at", "ip_address")
    list_select_related = ("user",)
    search_fields = ("user__email", "user__full_name")
    readonly_fields = ("user", "started_at", "ip_address")
    exclude = ("session_key",)
    actions = ("end_sessions",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: LoginSession | None = None) -> bool:
        return False  # ending goes through the action, which also ends the Django session

    @admin.action(description=_("End all sessions of these people"))
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[LoginSession]) -> None:
        people = User.objects.filter(pk__in=queryset.values("user_id"))
        ended = sum(services.sessions_end(person=p, reason="ended_by_admin") for p in people)
        self.message_user(request, _("%(count)d sessions ended.") % {"count": ended})
