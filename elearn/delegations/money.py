"""Currency codes, one rule for the per-diems (logistics) and the cost lines (costs)."""
from __future__ import annotations

from datetime import date
from functools import cache

from babel import Locale
from babel.numbers import get_territory_currencies
from flask_babel import gettext as _

from elearn.database import utcnow
from elearn.errors import UserError


@cache
def _currencies_in_use(day: date) -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere on `day`, from Babel's copy of CLDR: a withdrawn
    code (FRF) or a code that is not money (XXX, XTS) is refused, as a typing error would be."""
    codes: set[str] = set()
    for territory in Locale("en").territories:
        codes.update(get_territory_currencies(territory, day, tender=True))
    return frozenset(codes)


def is_currency(code: str) -> bool:
    return code in _currencies_in_use(utcnow().date())


def check_currency(value: str | None, error: type[UserError], field: str) -> str:
    """The code in capitals, or `error` naming `field` if it is not a currency in use."""
    code = (value or "").strip().upper()
    if not is_currency(code):
        raise error(_("“%(code)s” is not a currency in use: give its ISO 4217 code, such as EUR, XOF or USD.",
                      code=(value or "").strip()), field=field)
    return code
