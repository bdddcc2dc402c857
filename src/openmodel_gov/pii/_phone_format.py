"""Whether a phone number is written with its country's own digit groups.

People write a phone number the way their country prints it: ``020 7946 0958`` in the UK,
``(415) 555-2671`` or ``415-555-2671`` in the US, ``612 48 73 90`` in Spain. A reference, a lab
label or a part number that happens to be a valid number rarely falls into those groups
(``2317-014-482913``, ``05021.03.0840``). libphonenumber's national format gives the groups.

Imported only lazily, when a detector is built (it imports phonenumbers at module level).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import phonenumbers

__all__ = ["NationalGrouping"]

_DIGITS = re.compile(r"\d+")


def _groups(value: str) -> list[int]:
    """The lengths of the digit runs of ``value``."""
    return [len(run) for run in _DIGITS.findall(value)]


class NationalGrouping:
    """Tells whether a number written without ``+`` has the digit groups of the national format
    of a region that accepts it.

    >>> grouping = NationalGrouping(("GB", "US", "ES"))
    >>> grouping("020 7946 0958"), grouping("(415) 555-2671"), grouping("612 48 73 90")
    (True, True, True)
    >>> grouping("2317-014-482913"), grouping("410712-0148"), grouping("4158675309")
    (False, False, False)
    """

    def __init__(self, regions: Sequence[str]) -> None:
        self._regions = tuple(regions)

    def __call__(self, raw: str) -> bool:
        written = _groups(raw)
        if len(written) < 2:
            return False  # one run of digits: no grouping to compare
        for region in self._regions:
            try:
                number = phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                continue
            if not phonenumbers.is_valid_number(number):
                continue
            national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            if _groups(national) == written:
                return True
        return False
