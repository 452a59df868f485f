from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: serving, the demo data and the benchmark entry point."""

    name = "daftar.ops"
    label = "ops"
    verbose_name = _("Operations")
