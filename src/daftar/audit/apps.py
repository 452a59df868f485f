from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "daftar.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        post_migrate.connect(_protect, sender=self, dispatch_uid="daftar.audit.protect")


def _protect(*, using: str, **_kwargs: Any) -> None:
    """Put the append-only triggers back after every migrate or flush (see protect.py)."""
    from daftar.audit import protect

    connection = connections[using]
    if set(protect.TABLES) <= set(connection.introspection.table_names()):
        protect.install(connection)
