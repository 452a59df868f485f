"""Who may reach each route: the table the access matrix checks every URL pattern against.

Every route name (or, for an unnamed pattern, its pattern) has exactly one entry. A new route
without an entry, or an entry for a route that is gone, fails ``test_every_route_has_a_rule``:
adding a screen or an endpoint means deciding here who may use it.

Kinds of rule:

- ``Public``: anyone, signed in or not (the login page).
- ``Auth``: any signed-in person; anonymous visitors are sent to log in (the API answers 401/403).
- ``Perm``: a signed-in person holding the permission (``app.codename``); others get 403.
- ``Obj``: a route about one object (``kind``, whose id is in the URL kwarg ``kwarg``); it opens
  only for a person whose post holds or held the object, and answers 404 to everyone else
  and for ids that do not exist. ``perm`` adds a function permission on top.
- ``Figures``: the programme screens (aggregate figures and training records): 404 to anyone
  who is neither the programme office nor an organisation admin (docs/adoption-screens.md).
- ``Admin``: the Django admin; only staff get in, and ``staff`` is what the organisation admin
  (staff, holding no model permission) gets there.

``method`` is the one the matrix uses: POST (an empty form, or ``payload``) for routes that
change something, PATCH for the API's note edit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Public:
    method: str = "GET"


@dataclass(frozen=True)
class Auth:
    method: str = "GET"


@dataclass(frozen=True)
class Perm:
    codename: str
    method: str = "GET"


@dataclass(frozen=True)
class Obj:
    kind: str  # a key of ``Desk.ids()``: file, receipt, note, mail, post, draft, dfa, dispatch …
    kwarg: str = "pk"
    method: str = "GET"
    perm: str | None = None
    payload: str | None = None  # a key of the matrix's PAYLOADS: input that passes validation
    author_only: bool = False  # a draft: open to its author only, not to the whole desk


@dataclass(frozen=True)
class Figures:
    """The programme screens: the programme office sees every organisation, an organisation
    admin their own (the world's admin holds a post in the division named in the URL); with
    ``perm`` that permission too. Everyone else gets 404: the screens do not admit to exist."""

    method: str = "GET"
    perm: str | None = None


@dataclass(frozen=True)
class Admin:
    staff: str = "forbidden"  # what the organisation admin (staff, no model permission) gets


Rule = Public | Auth | Perm | Obj | Figures | Admin

FILE_POST = Obj("file", method="POST")
RECEIPT_POST = Obj("receipt", method="POST")
API_FILE_POST = Obj("file", "file_id", method="POST")
MAIL = "mailroom.handle_mail"
TRAINING = "adoption.record_training"

# A function permission (``Perm``, or ``Obj(..., perm=...)``) is checked before the object: a
# person without it gets 403 whatever id they name, so the answer discloses nothing.
SITE: dict[str, Rule] = {
    "login": Public(),
    "logout": Public(method="POST"),  # signing out when not signed in is harmless
    "home": Auth(),
    "post-search": Auth(),
    "file-new": Perm("files.open_file"),
    "file-track": Auth(),
    "receipt-new": Perm("receipts.diarise_receipt"),
    "receipt-track": Auth(),
    "sender-search": Perm("receipts.diarise_receipt"),
    "mail-list": Perm("mailroom.handle_mail"),
    "audit-trail": Perm("audit.view_trail"),
    "audit-export": Perm("audit.view_trail"),
    # Search answers only with what the person may see (docs/search-screens.md).
    "search": Auth(),
    "search-posts": Auth(),
    "api-search": Auth(),
    # Login and the person's own security settings (docs/login.md).
    "accounts:verify": Public(),  # the second step of logging in
    "accounts:confirm": Auth(),
    "accounts:password-change": Auth(),
    "accounts:security": Auth(),
    "accounts:setup": Auth(),
    "accounts:codes": Auth(),
    "accounts:remove": Auth(method="POST"),
    # The API's schema and its viewer describe the endpoints, not any data.
    "api-schema": Public(),
    "api-docs": Public(),
    "api-files": Auth(),
    "api-file-track": Auth(),
    "api-posts": Auth(),
    # Files, on screen and in the API.
    "file-detail": Obj("file"),
    "note-add": FILE_POST,
    "file-park": FILE_POST,
    "file-unpark": FILE_POST,
    "file-close": Obj("file", method="POST", perm="files.record_file"),
    "file-reopen": Obj("file", method="POST", perm="files.record_file"),
    "file-send": FILE_POST,
    "file-return": FILE_POST,
    "file-pull-back": FILE_POST,
    "file-grade": FILE_POST,
    "file-share": Obj("file", method="POST", perm="files.share_file"),
    "file-share-revoke": FILE_POST,
    "file-page": Obj("file"),
    "file-export": Obj("file"),  # a classified file also needs a release (tests/files)
    "file-release": Obj("file", method="POST", perm="files.share_file"),
    "file-page-copy": FILE_POST,
    "file-copy-choices": Obj("file"),
    "file-page-image": Obj("file"),
    "file-page-original": Obj("file"),
    "note-edit": Obj("note", author_only=True),
    "note-delete": Obj("note", method="POST", author_only=True),
    "api-file": Obj("file", "file_id"),
    "api-file-notes": Obj("file", "file_id", method="POST", payload="note"),
    "api-file-park": API_FILE_POST,
    "api-file-unpark": API_FILE_POST,
    "api-file-close": Obj("file", "file_id", method="POST", perm="files.record_file"),
    "api-file-reopen": Obj("file", "file_id", method="POST", perm="files.record_file"),
    "api-file-send": Obj("file", "file_id", method="POST", payload="send"),
    "api-file-return": API_FILE_POST,
    "api-file-pull-back": API_FILE_POST,
    "api-file-movements": Obj("file", "file_id"),
    "api-note": Obj("note", "note_id", method="PATCH", payload="note", author_only=True),
    "api-post-inbox": Obj("post", "post_id"),
    # Receipts.
    "receipt-detail": Obj("receipt"),
    "receipt-page-image": Obj("receipt"),
    "receipt-document-original": Obj("receipt"),
    "receipt-send": RECEIPT_POST,
    "receipt-return": RECEIPT_POST,
    "receipt-pull-back": RECEIPT_POST,
    "receipt-close": RECEIPT_POST,
    "receipt-open-file": Obj("receipt", method="POST", perm="files.open_file"),
    "receipt-put-on-file": RECEIPT_POST,
    "receipt-file-choices": Obj("receipt"),
    "receipt-acknowledgement": RECEIPT_POST,
    "receipt-acknowledge-email": RECEIPT_POST,
    "receipt-release": Obj("receipt", method="POST", perm="files.share_file"),
    "receipt-share": Obj("receipt", method="POST", perm="files.share_file"),
    "receipt-share-revoke": RECEIPT_POST,
    # Drafts for approval (docs/drafting.md): seen through their file.
    "draft-new": Obj("file"),
    "draft-detail": Obj("draft"),
    "draft-edit": Obj("draft"),
    "draft-approve": Obj("draft", method="POST", perm="drafting.approve_draft"),
    "draft-cancel": Obj("draft", method="POST"),
    "draft-compare": Obj("draft"),
    "draft-preview": Obj("draft"),
    "draft-posts": Auth(),  # the posts of an organisation: the chart, not papers
    "letter-templates": Perm("org.manage_organisation"),
    "letter-template-preview": Perm("org.manage_organisation"),
    # E-mail drafts.
    "mail-detail": Obj("mail", perm=MAIL),
    "mail-raw": Obj("mail", perm=MAIL),
    "mail-complete": Obj("mail", method="POST", perm=MAIL),
    "mail-discard": Obj("mail", method="POST", perm=MAIL),
    # Signatures: the CA certificate, its CRL and letter verification are for the public
    # (docs/signing.md); an upload is checked and forgotten.
    "signing:ca-certificate": Public(),
    "signing:ca-crl": Public(),
    "signing:verify": Public(),
    "signing:verify-token": Public(),
    # Signing and dispatch (docs/dispatch.md): drafts ("dfa") and dispatches are seen through
    # their file.
    "dispatch-sign": Obj("dfa", perm="files.sign_document"),
    "dispatch-issue": Obj("dfa", perm="drafting.issue_letter"),
    "dispatch-detail": Obj("dispatch"),
    "dispatch-letter": Obj("dispatch"),
    "dispatch-delivery-retry": Obj("delivery", method="POST", perm="drafting.issue_letter"),
    "dispatch-delivery-sent": Obj("delivery", method="POST", perm="drafting.issue_letter"),
    "dispatch-delivery-label": Obj("delivery"),
    "dispatch-register": Auth(),
    "dispatch-paper-new": Auth(),  # only into a register the person reads (tests/dispatch)
    "programme": Figures(),
    "programme-csv": Figures(),
    "programme-xlsx": Figures(),
    "programme-pdf": Figures(),
    "programme-organisation": Figures(),
    "programme-organisation-csv": Figures(),
    "programme-organisation-xlsx": Figures(),
    "programme-organisation-pdf": Figures(),
    "training-list": Figures(perm=TRAINING),
    "training-new": Figures(perm=TRAINING),
    "training-import": Figures(perm=TRAINING),
    "training-template": Figures(perm=TRAINING),
    "training-detail": Figures(perm=TRAINING),
}

# The admin: the site's own pages and, per registered model, its five standard pages.
ADMIN_SITE: dict[str, Rule] = {
    "admin:index": Admin(staff="allow"),
    "admin:password_change": Admin(staff="allow"),
    "admin:password_change_done": Admin(staff="allow"),
    "admin:jsi18n": Admin(staff="allow"),
    "admin:app_list": Admin(staff="allow"),  # /admin/org/: the structure they manage
    "admin:auth_user_password_change": Admin(staff="allow"),  # a person of their organisation
    "admin:autocomplete": Admin(staff="forbidden"),  # no model, no field: refused
    "admin:view_on_site": Admin(staff="not_found"),  # ids that name nothing
    "admin/(?P<url>.*)$": Admin(staff="not_found"),  # the catch-all under /admin/
    "admin:login": Public(),
    "admin/login/": Public(),  # sends to the site's own login (two-factor included)
    "admin:logout": Public(method="POST"),
}
# What the organisation admin (the organisation_admin role: the structure models of their own
# organisation, docs/roles.md) gets on each model's pages. Models holding the content of files
# and receipts, the audit trail and login records stay "forbidden": admins do not read papers
# by being admins.
# The structure models: seen, added and changed; deleting (people, posts with a history) is
# not the organisation admin's — a superuser's, if ever.
STRUCTURE = {page: "allow" for page in ("changelist", "add", "history", "change")} | {
    "delete": "forbidden"
}
# A registry's diary-number template (structure, not papers): seen and changed, not added or
# deleted (a diary comes with its registry).
DIARY = {"changelist": "allow", "history": "allow", "change": "allow"} | {
    "add": "forbidden",
    "delete": "forbidden",
}
ADMIN_MODELS: dict[str, str | dict[str, str]] = {
    "auth.group": "forbidden",
    "django_tasks_database.dbtaskresult": "forbidden",
    "org.charge": STRUCTURE,
    "org.orgunit": STRUCTURE,
    "org.post": STRUCTURE,
    "org.user": STRUCTURE,
    "org.sequence": "forbidden",
    "audit.auditevent": "forbidden",  # papers
    "audit.auditcheckpoint": "forbidden",
    "files.file": "forbidden",  # papers
    "movement.movement": "forbidden",  # papers
    "receipts.diary": DIARY,
    "receipts.sender": "forbidden",
    "receipts.receipt": "forbidden",  # papers
    "releases.release": "forbidden",  # papers
    "mailroom.mailbox": "forbidden",
    "mailroom.incomingmail": "forbidden",  # papers
    "accounts.loginsession": "forbidden",
    "axes.accessattempt": "forbidden",
    "axes.accesslog": "forbidden",
    "axes.accessfailurelog": "forbidden",
    "otp_totp.totpdevice": "forbidden",
    "otp_static.staticdevice": "forbidden",
    "adoption.adoptionpolicy": "forbidden",  # the rubric: superusers (docs/adoption.md)
    "adoption.monthlyfigures": "forbidden",
}
ADMIN_MODEL_PAGES = ("changelist", "add", "history", "delete", "change")


# Extra pages some models' admins add.
ADMIN_EXTRA: dict[str, Rule] = {
    "admin:otp_totp_totpdevice_config": Admin(),
    "admin:otp_totp_totpdevice_qrcode": Admin(),
}


def _admin_rules() -> dict[str, Rule]:
    rules = dict(ADMIN_SITE) | ADMIN_EXTRA
    for model, staff in ADMIN_MODELS.items():
        app, name = model.split(".")
        for page in ADMIN_MODEL_PAGES:
            got = staff if isinstance(staff, str) else staff[page]
            rules[f"admin:{app}_{name}_{page}"] = Admin(staff=got)
        # The unnamed <object_id>/ only redirects to the change page (checked above).
        rules[f"admin/{app}/{name}/<path:object_id>/"] = Public()
    return rules


RULES: dict[str, Rule] = {**SITE, **_admin_rules()}
