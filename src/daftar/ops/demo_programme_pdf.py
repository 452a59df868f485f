"""The one small letter the programme demo's electronic receipts share (many Document rows,
one stored blob: the store is content-addressed). Written by hand so the demo needs no PDF
renderer: a single A4 page with a text layer, checked by ``documents.checks.inspect``."""

from __future__ import annotations

LINES = (
    "GOVERNMENT OF PAKISTAN",
    "Letter received by the Central Registry (Daftar demo)",
    "Subject: as entered in the diary",
    "This scan stands for every letter the programme demo diarises.",
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def letter_pdf() -> bytes:
    text = "BT /F1 12 Tf 72 770 Td 16 TL " + " ".join(f"({_escape(s)}) '" for s in LINES) + " ET"
    stream = text.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
