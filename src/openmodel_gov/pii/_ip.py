"""IP addresses of hosts: Presidio's IP recognizer minus versions, masks and ranges."""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import IpRecognizer

from openmodel_gov.pii._facts import PiiFacts

__all__ = ["StrictIpRecognizer"]


class StrictIpRecognizer(IpRecognizer):
    """Presidio's IP recognizer minus versions and addresses that are not hosts.

    Dropped: dotted quads written as versions (``v1.2.3.4``, ``kernel 5.15.0.91``, a version
    word within 24 characters before on the same line, or glued to ``-generic``, ``_signed``,
    ``.post1``), ``0.0.0.0`` and loopback, network ranges (``10.0.0.0/8``) and four groups of a
    longer dotted number (OIDs such as ``1.3.6.1.4.1.2021``).
    """

    def __init__(self, *, facts: PiiFacts, supported_language: str) -> None:
        super().__init__(supported_language=supported_language, name="StrictIpRecognizer")
        words = "|".join(re.escape(w) for w in facts.ip_negative_prefixes)
        self._version_before = re.compile(rf"(?:\b(?:{words})[ =:]?|\bv)$", re.IGNORECASE)
        near = "|".join(re.escape(w) for w in facts.version_words)
        self._version_near = re.compile(rf"\b(?:{near})\b", re.IGNORECASE)
        self._not_host = frozenset(facts.ip_not_host)
        hosts = "|".join(re.escape(w) for w in facts.ip_host_words)
        self._host_near = re.compile(rf"\b(?:{hosts})\b", re.IGNORECASE)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """IP matches whose preceding word does not mark a version."""
        found = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in found if self._is_host(text, r.start, r.end)]

    def _is_host(self, text: str, start: int, end: int) -> bool:
        value = text[start:end]
        if _is_netmask(value):
            return False  # "255.255.255.0": a subnet mask, not a host
        if value in self._not_host or self._version_before.search(text[max(0, start - 12) : start]):
            return False
        if "/" in value or (":" in value and len(value) < 6):
            return False  # a network range; a fragment such as "0::2" from a version list
        after, before = text[end : end + 2], text[start - 1 : start]
        if before in ("_", "-") or (after[:1] in ("-", "+", "_") and after[1:2].isalpha()):
            return False  # fw_3.2.1.9_signed, 5.15.0.91-generic
        if after[:1] == "/" and after[1:2].isdigit():
            return False  # a network range, not a host
        if _in_longer_dotted_number(text, start, end):
            return False  # an SNMP OID "1.3.6.1.4.1.2021"
        if value.count(".") == 3 and not value.count(":"):
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            line_end = len(text) if line_end < 0 else line_end
            if self._host_near.search(text, max(line_start, start - 16), start):
                return True
            if self._version_near.search(text, line_start, start) or self._version_near.search(
                text, end, min(line_end, end + 16)
            ):
                return False
        return True


def _is_netmask(value: str) -> bool:
    """A dotted-quad subnet mask: ones then zeros (``255.255.240.0``); ``0.0.0.0`` too.

    >>> _is_netmask("255.255.255.0"), _is_netmask("255.255.255.255"), _is_netmask("10.0.0.1")
    (True, True, False)
    """
    parts = value.split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) <= 255 for p in parts):
        return False
    bits = "".join(f"{int(p):08b}" for p in parts)
    return ("01" not in bits and bits.startswith("1")) or bits == "0" * 32


def _in_longer_dotted_number(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is glued by a dot to more digits on either side."""
    after, before = text[end : end + 2], text[max(0, start - 2) : start]
    return (after[:1] == "." and after[1:2].isdigit()) or (
        before[1:] == "." and before[:1].isdigit()
    )
