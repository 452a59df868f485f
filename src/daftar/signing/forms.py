from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    pdf = forms.FileField(
        label=_("The signed letter (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_pdf(self) -> bytes:
        upload: UploadedFile[bytes] = self.cleaned_data["pdf"]
        limit = settings.VERIFY_MAX_BYTES
        if (upload.size or 0) > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
            )
        data = bytes(upload.read(limit + 1))
        if b"%PDF-" not in data[:1024]:
            raise forms.ValidationError(_("This is not a PDF file. Choose the letter's PDF."))
        return data
