from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "daftar.accounts"
    verbose_name = _("Login and sessions")

    def ready(self) -> None:
        # The receivers that record logins, failures and lockouts, and end sessions.
        from daftar.accounts import signals  # noqa: F401
