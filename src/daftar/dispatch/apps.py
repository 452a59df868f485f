from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "daftar.dispatch"
    label = "dispatch"
    verbose_name = _("Dispatch")

    def ready(self) -> None:
        # The one place dispatch hears from receipts: a letter delivered on Daftar is
        # "received" when a person in the addressee's registry first opens it.
        from daftar.dispatch.internal import receipt_opened_received
        from daftar.receipts.signals import receipt_opened

        receipt_opened.connect(receipt_opened_received, dispatch_uid="dispatch.received")
