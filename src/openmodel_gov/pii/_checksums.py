"""Check-digit algorithms shared by the recognizers (pure Python, no Presidio import).

Kept apart from :mod:`openmodel_gov.pii._recognizers` so that :mod:`openmodel_gov.pii._ids`
can use them without importing that module (and Presidio, phonenumbers, tldextract) eagerly.
"""

from __future__ import annotations

__all__ = ["aadhaar_ok", "codice_fiscale_ok", "iban_ok", "luhn_ok"]


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


# Verhoeff's dihedral-group tables (J. Verhoeff, "Error Detecting Decimal Codes", 1969), the
# check digit UIDAI uses for Aadhaar numbers.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)  # fmt: skip
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4), (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7), (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)  # fmt: skip


def aadhaar_ok(digits: str) -> bool:
    """12 digits, the first 2-9, with a valid Verhoeff check digit (UIDAI's Aadhaar rule).

    >>> aadhaar_ok("726018159082"), aadhaar_ok("726018159083"), aadhaar_ok("126018159082")
    (True, False, False)
    """
    if len(digits) != 12 or not digits.isdigit() or digits[0] in "01":
        return False
    check = 0
    for index, char in enumerate(reversed(digits)):
        check = _D[check][_P[index % 8][ord(char) - 48]]
    return check == 0


# The control character of an Italian codice fiscale (the Ministry of Finance's specification
# of the code, as Presidio's ItFiscalCodeRecognizer implements it: the values of the characters
# in odd and even positions, summed mod 26; digits and letters A-J share the values 0-9, K-Z go
# on to 10-25). That recognizer's validate_result answers None, not False, on a mismatch, so a
# wrong control character is not rejected there.
_CF_ODD = (
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
)  # fmt: skip


def codice_fiscale_ok(code: str) -> bool:
    """A 16-character codice fiscale whose last letter is its control character.

    >>> codice_fiscale_ok("FRRCHR88C52F205J"), codice_fiscale_ok("FRRCHR88C52F205X")
    (True, False)
    """
    code = code.upper()
    if len(code) != 16 or not code.isascii() or not code.isalnum() or not code[-1].isalpha():
        return False
    total = 0
    for index, char in enumerate(code[:15]):
        value = int(char) if char.isdigit() else ord(char) - 65
        total += _CF_ODD[value] if index % 2 == 0 else value
    return chr(65 + total % 26) == code[-1]


def iban_ok(iban: str) -> bool:
    """ISO 13616-1 check digits (ISO/IEC 7064 MOD 97-10) of a compact, upper-case IBAN.

    >>> iban_ok("DE89370400440532013000"), iban_ok("DE88370400440532013000")
    (True, False)
    """
    if len(iban) < 5 or not iban.isascii() or not iban.isalnum():
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1
