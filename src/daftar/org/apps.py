from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(**kwargs: Any) -> None:
    from daftar.org.roles import groups_sync

    groups_sync()


class OrgConfig(AppConfig):
    name = "daftar.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # After every migrate the role groups match daftar.org.roles.ROLES.
        post_migrate.connect(_sync_role_groups, sender=self, dispatch_uid="daftar.org.roles")
