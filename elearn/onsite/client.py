"""The check-in page's script side: the words it shows (in the page's language) and the service worker's file."""
from __future__ import annotations

from flask import current_app, send_from_directory
from flask_babel import get_locale, ngettext, pgettext
from flask_babel import gettext as _

from elearn.onsite import wording
from elearn.onsite.models import ScanOutcome

SERVICE_WORKER = "js/check-in-sw.js"  # under static/, served at /check-in/sw.js: a worker's scope is its folder
# Numbers that reach every CLDR plural category of our languages (Arabic's zero, one, two, few, many, other;
# French's "many" of the millions), so the script can pick the form with Intl.PluralRules.
PLURAL_SAMPLES = (0, 1, 2, 3, 11, 100, 1_000_000)


def _pending(count: int) -> str:
    return ngettext("%(count)s scan waiting to be sent", "%(count)s scans waiting to be sent", count, count="{count}")


def plural_forms(word) -> dict[str, str]:
    """`word(n)` for each plural category of the page's language, "{count}" left for the script to fill."""
    locale = get_locale()
    forms: dict[str, str] = {}
    for number in PLURAL_SAMPLES:
        forms.setdefault(locale.plural_form(number), word(number))
    return forms


def strings() -> dict:
    """What check-in.js says, translated here: the script holds no text of its own."""
    return {
        # The outcomes in the words the page uses without the script (wording.py).
        "labels": {**{outcome.value: wording.heading(outcome) for outcome in ScanOutcome},
                   "waiting": pgettext("scan outcome", "Waiting to be sent"),
                   "sending": pgettext("scan outcome", "Sending…")},
        "reasons": {reason.value: wording.short(reason.value, ScanOutcome.REFUSED) for reason in wording.Reason
                    if reason.value},
        "pending": plural_forms(_pending),
        "none_pending": _("No scan is waiting to be sent."),
        "code": _("Code: {code}"),
        "saved_offline": _("Kept on this device: it will be sent when the connection returns."),
        "offline": _("No connection. Scans are kept on this device and sent when the connection returns."),
        "server_error": _("The server could not take the scans just now. They will be sent again shortly."),
        "signed_out": _("You are signed out. Sign in again to send the scans kept on this device."),
        "sign_in": _("Sign in"),
        "unsent_on_sign_out": _("Some scans have not reached the server yet, and signing out deletes what this "
                                "device keeps. Sign out anyway?"),
        "camera_starting": _("Starting the camera…"),
        "camera_ready": _("Hold a ticket's QR code in front of the camera."),
        "camera_denied": _("The camera was not allowed. Allow it in the browser's settings, or type the code."),
        "camera_unavailable": _("No camera can be used here. Type the code instead."),
        "camera_decoder": _("The code reader could not be loaded. Type the code instead."),
    }


def service_worker():
    """The worker's script, checked for a newer copy each time the browser asks (never fingerprinted)."""
    response = send_from_directory(current_app.static_folder, SERVICE_WORKER, mimetype="text/javascript",
                                   max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
