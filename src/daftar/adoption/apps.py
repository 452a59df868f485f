from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdoptionConfig(AppConfig):
    name = "daftar.adoption"
    label = "adoption"
    verbose_name = _("E-office adoption")
