"""IP addresses of hosts: Presidio's IP recognizer minus versions, masks and ranges."""

from __future__ import annotations

import ipaddress
import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import IpRecognizer

from openmodel_gov.pii._context import column_header, line_bounds
from openmodel_gov.pii._facts import PiiFacts

__all__ = ["StrictIpRecognizer"]

# A URL scheme or "user@" right before the address, or a port right after it (also after an
# IPv6 literal's "]"): the address is a host's (RFC 3986 3.2.2, RFC 3986 3.2.3).
_HOST_BEFORE = re.compile(r"(?://|@)$")
# PEP 440 version specifiers ("torch==2.2.1", "pkg~=1.4.2.0") before a dotted quad.
_SPECIFIERS = frozenset({"==", ">=", "<=", "~=", "!=", "=>"})
# A mask after an address: "255.255.0.0" or a wildcard "0.0.255.255" (Cisco IOS ACL syntax).
_MASK_AFTER = re.compile(r"[ \t]+(?:255|0)\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")
# An image or package name and its tag: "registry.internal/payments/api-gateway:4.2.0.118".
_IMAGE_TAG = re.compile(r"[\w.-]+/[\w./-]+:$")
_PORT_AFTER = re.compile(r"\]?:\d{1,5}(?!\d|\.\d)")


class StrictIpRecognizer(IpRecognizer):
    """Presidio's IP recognizer minus versions and addresses that are not hosts.

    Dropped: dotted quads written as versions (``v1.2.3.4``, ``kernel 5.15.0.91``, a version
    word within 24 characters before on the same line, or glued to ``-generic``, ``_signed``,
    ``.post1``), ``0.0.0.0`` and loopback, addresses in ``0.0.0.0/8`` (wildcard masks such as
    ``0.0.0.255``), network ranges (``10.0.0.0/8``) and four groups of a longer dotted number
    (OIDs such as ``1.3.6.1.4.1.2021``); a dotted quad shaped like a version or a section
    number (``3.2.1.4``, ``11.0.2.41``: first two groups under 32, third under 64) unless the
    words around it make it a host's (``ping``, ``from``, a port, a URL) or it is a private or
    well-known resolver address. Kept, without its prefix length or zone: an interface address
    written with its prefix (``inet 172.31.14.203/20``, ``fe80::1%eth0``).
    """

    def __init__(self, *, facts: PiiFacts, supported_language: str) -> None:
        super().__init__(supported_language=supported_language, name="StrictIpRecognizer")
        words = "|".join(re.escape(w) for w in facts.ip_negative_prefixes)
        self._version_before = re.compile(rf"(?:\b(?:{words})[ =:]?|\bv)$", re.IGNORECASE)
        near = "|".join(re.escape(w) for w in facts.version_words)
        # a word of its own, not a piece of an e-mail address or host name ("a.fw@aaa.com")
        self._version_near = re.compile(
            rf"(?<![\w.@])(?:{near})(?![\w@]|\.[^\W\d_])", re.IGNORECASE
        )
        self._not_host = frozenset(facts.ip_not_host)
        self._resolvers = frozenset(facts.ip_public_resolvers)
        hosts = "|".join(re.escape(w) for w in facts.ip_host_words)
        # a whole word: not the end of a product's name ("BIG-IP 17.1.1.3" is a version)
        self._host_near = re.compile(rf"(?<![\w-])(?:{hosts})\b", re.IGNORECASE)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Host addresses, trimmed of a prefix length or zone index."""
        kept: list[RecognizerResult] = []
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        versions = self._versions(text) if results else {}
        for result in results:
            end = _host_end(text[result.start : result.end])
            if end is not None and self._is_host(text, result.start, result.start + end, versions):
                result.end = result.start + end
                kept.append(result)
        return kept

    def _is_host(self, text: str, start: int, end: int, versions: dict[str, set[int]]) -> bool:
        value = text[start:end]
        if _is_netmask(value) or value in self._not_host or _is_reserved(value):
            return False  # a mask, "this host", loopback, 0.0.0.0/8 (RFC 1122 3.2.1.3)
        if self._version_before.search(text[max(0, start - 12) : start]):
            return False
        if ":" in value and len(value) < 6 and not _host_before(text, start):
            return False  # a fragment such as "0::2" from a version list
        if _glued(text, start, end) or _mac_shaped(value):
            return False
        if value.count(".") != 3 or value.count(":"):
            return True
        return self._dotted_quad_is_host(text, start, end, versions)

    def _dotted_quad_is_host(
        self, text: str, start: int, end: int, versions: dict[str, set[int]]
    ) -> bool:
        """A dotted quad is a version after a version word or in a version column, a host
        after a host word or beside a port, a version when another four-part number of the
        text with its first group is one (``versions``); otherwise by its shape."""
        value = text[start:end]
        line_start, line_end = line_bounds(text, start)
        header = column_header(text, start)
        version_before = self._version_near.search(text, max(line_start, start - 24), start)
        if (version_before and _version_shaped(value)) or (
            header and self._version_near.search(header)
        ):
            return False  # "versión servidor 15.6.0.1", a "firmware" column: a version
        if self._has_host_words(text, start, end) or value in self._resolvers:
            return True
        if version_before or self._version_near.search(text, end, min(line_end, end + 16)):
            return False
        if versions.get(value.split(".", 1)[0], set()) - {start}:
            return False  # "from 10.4.21.907 to 10.4.22.118": two versions of one firmware
        return _is_private(value) or not _version_shaped(value)

    def _versions(self, text: str) -> dict[str, set[int]]:
        """First group -> starts of the four-part numbers of ``text`` that are versions: they
        hold a group over 255 (``10.4.21.907``) or follow a version word (``firmware
        3.80.0.12`` makes ``3.71.1.8`` a version too). Worked out once per text."""
        out: dict[str, set[int]] = {}
        for m in _FOUR_PARTS.finditer(text):
            parts = m.group().split(".")
            if any(int(p) > 255 for p in parts) or self._version_near.search(
                text, max(line_bounds(text, m.start())[0], m.start() - 24), m.start()
            ):
                out.setdefault(parts[0], set()).add(m.start())
        return out

    def _has_host_words(self, text: str, start: int, end: int) -> bool:
        """A host word just before, a URL or ``user@`` before, or a port after."""
        line_start = text.rfind("\n", 0, start) + 1
        return (
            self._host_near.search(text, max(line_start, start - 16), start) is not None
            or _host_before(text, start)
            or _PORT_AFTER.match(text, end) is not None
        )


def _mac_shaped(value: str) -> bool:
    """``4F:A2:91:0C:7E:33:D5:18``: a MAC or EUI-64 address, two hex digits a group."""
    return value.count(":") >= 5 and all(len(g) == 2 for g in value.split(":"))


def _glued(text: str, start: int, end: int) -> bool:
    """Glued to a name or a longer number: ``fw_3.2.1.9_signed``, ``5.15.0.91-generic``,
    ``Chrome/124.0.0.0`` (a product version, RFC 9110 10.1.5), ``curand==10.3.2.106`` (a
    PEP 440 version specifier), an OID ``1.3.6.1.4.1.2021``, an image tag (``org/api:4.2.0.118``);
    or followed by a netmask or a
    wildcard mask (``10.40.0.0 0.0.255.255``: a network in an ACL or a route)."""
    after, before = text[end : end + 2], text[start - 1 : start]
    return (
        before in ("_", "-")
        or (after[:1] in ("-", "+", "_") and after[1:2].isalpha())
        or (before == "/" and text[start - 2 : start - 1].isalpha())
        or text[max(0, start - 2) : start] in _SPECIFIERS
        or _network_before_mask(text, start, end)
        or _IMAGE_TAG.search(text, max(0, start - 80), start) is not None
        or _in_longer_dotted_number(text, start, end)
    )


def _network_before_mask(text: str, start: int, end: int) -> bool:
    """A network and its netmask or wildcard mask (``10.40.0.0 0.0.255.255`` in an ACL, ``ip
    route 0.0.0.0 0.0.0.0``), not an interface's address and mask (``ip address 10.44.20.1
    255.255.255.0``: host bits set).

    >>> t = "ip address 10.44.20.1 255.255.255.0"
    >>> _network_before_mask(t, 11, 21), _network_before_mask("permit 10.40.0.0 0.0.255.255", 7, 16)
    (False, True)
    """
    m = _MASK_AFTER.match(text, end)
    if m is None:
        return False
    address, mask = _address(text[start:end]), _address(m.group().strip())
    if not isinstance(address, ipaddress.IPv4Address) or not isinstance(
        mask, ipaddress.IPv4Address
    ):
        return True
    host_bits = int(mask) if str(mask).startswith("0.") else ~int(mask) & 0xFFFFFFFF
    return int(address) & host_bits == 0


def _host_before(text: str, start: int) -> bool:
    return _HOST_BEFORE.search(text, max(0, start - 2), start) is not None


def _host_end(value: str) -> int | None:
    """Length of the host address in a match, or None for a network range.

    ``10.60.0.0/16`` is a network (its host bits are zero); ``172.31.14.203/20`` is an
    interface address, kept without ``/20``; ``fe80::1%eth0`` loses its zone index.

    >>> _host_end("10.60.0.0/16"), _host_end("172.31.14.203/20"), _host_end("fe80::1%eth0")
    (None, 13, 7)
    >>> _host_end("10.66.66.2/32"), _host_end("0.0.0.0/0"), _host_end("::/0")
    (10, None, None)
    """
    address = value.partition("%")[0]
    if "/" not in address:
        return len(address)
    try:
        interface = ipaddress.ip_interface(address)
    except ValueError:
        return None
    network = interface.network
    if network.num_addresses > 1 and interface.ip == network.network_address:
        return None
    return address.index("/") if network.prefixlen else None


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_reserved(value: str) -> bool:
    """Loopback (``127.0.1.1``, ``::1``), multicast (``ff02::1``, ``224.0.0.251``: a group,
    RFC 4291 2.7) or ``0.0.0.0/8``: no host of its own.

    >>> _is_reserved("127.0.1.1"), _is_reserved("0.0.0.255"), _is_reserved("10.0.0.1")
    (True, True, False)
    """
    address = _address(value)
    return address is not None and (
        address.is_loopback or address.is_multicast or value.startswith("0.")
    )


# A four-part dotted number (a version, an address or an OID piece).
_FOUR_PARTS = re.compile(r"(?<![\w.])\d{1,5}(?:\.\d{1,5}){3}(?![\w.]|\.\d)")


def _is_private(value: str) -> bool:
    address = _address(value)
    return address is not None and address.is_private


def _version_shaped(value: str) -> bool:
    """Small leading groups, as in versions and section numbers (``3.2.1.4``, ``2.4.58.1``).

    >>> _version_shaped("3.2.1.4"), _version_shaped("11.0.1.200"), _version_shaped("81.2.69.142")
    (True, True, False)
    """
    first, second, third, _ = (int(p) for p in value.split("."))
    return first < 32 and second < 32 and third < 64


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
