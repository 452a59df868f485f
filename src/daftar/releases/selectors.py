from __future__ import annotations

from django.db.models import QuerySet

from daftar.releases.models import Release
from daftar.releases.services import Graded


def releases_of(obj: Graded) -> QuerySet[Release]:
    """The releases recorded for ``obj``, newest first (the caller has checked access)."""
    return (
        Release.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("granted_by")
        .order_by("-granted_at")
    )
