"""Check-digit algorithms shared by the recognizers (pure Python, no Presidio import).

Kept apart from :mod:`openmodel_gov.pii._recognizers` so that :mod:`openmodel_gov.pii._ids`
can use them without importing that module (and Presidio, phonenumbers, tldextract) eagerly.
"""

from __future__ import annotations

__all__ = ["luhn_ok"]


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check of ISO/IEC 7812-1, annex B.

    >>> luhn_ok("4111111111111111"), luhn_ok("4111111111111112")
    (True, False)
    """
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
