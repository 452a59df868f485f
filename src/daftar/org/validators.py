from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_official_email(value: str) -> None:
    """Accounts are for official addresses only (DAFTAR_ALLOWED_EMAIL_DOMAINS).

    A sub-domain of an allowed domain is allowed too (``mowr.gov.pk`` under ``gov.pk``).
    """
    domain = value.rsplit("@", 1)[-1].strip().lower()
    allowed: list[str] = settings.ALLOWED_EMAIL_DOMAINS
    if any(domain == d or domain.endswith("." + d) for d in allowed):
        return
    raise ValidationError(
        _("%(email)s is not an official address. Use an address ending in %(domains)s.")
        % {"email": value, "domains": ", ".join("@" + d for d in allowed)},
        code="email_domain",
    )
