"""Signals the receipts app sends, for features that react to receipts without receipts
importing them (ARCHITECTURE: features react through hooks wired in one visible place).

``receipt_opened``: a person holding the receipt opened it for the first time since it
reached their post (the page was opened, or they acted on it). Sent inside the transaction
that records the opening, with ``receipt``, ``actor``, ``post`` and ``at``; a receiver that
raises rolls the opening back, so receivers keep to small, safe writes. Connected today by
``daftar.dispatch`` (apps.py) to mark a letter delivered on Daftar as received.
"""

from __future__ import annotations

from django.dispatch import Signal

receipt_opened = Signal()
