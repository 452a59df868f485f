"""The "Releases" panel of a classified file's page: the releases recorded for it (for export
or e-mail, docs/export.md) and, for those who may record one, the form."""

from __future__ import annotations

from typing import Any

from daftar.files.models import Classification, File
from daftar.org.models import User
from daftar.releases.forms import ReleaseForm
from daftar.releases.models import ReleasePurpose
from daftar.releases.selectors import releases_of
from daftar.releases.services import RELEASE_PERMISSION, in_charge_of


def release_context(actor: User, file: File) -> dict[str, Any]:
    """Nothing (and no query) for an unclassified file."""
    if file.classification < Classification.RESTRICTED:
        return {"releases": [], "release_form": None}
    can_release = actor.has_perm(RELEASE_PERMISSION) and in_charge_of(actor, file)
    form = ReleaseForm(initial={"purpose": ReleasePurpose.EXPORT}) if can_release else None
    return {"releases": list(releases_of(file)), "release_form": form}
