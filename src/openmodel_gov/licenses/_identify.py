"""Which license is this text? Word-set similarity against shipped, cited fingerprints.

As licensee and askalono do, a text is normalised (case, punctuation, copyright lines,
template fields such as ``[year]``, British spellings) into its set of distinct words, and
compared with the word set of each license text we ship a fingerprint of
(``license-fingerprints.json``, built by ``tasks/build_license_tables.py`` from the texts named
in it, each with its repository, commit, path and sha256). The score is the Sørensen-Dice
coefficient ``2|A∩B| / (|A|+|B|)``; for a text more than 1.5 times the license's vocabulary
(a gate prompt holding the agreement and its use policy) it is the share of the license's words
found in it, less 0.05. At least :data:`MATCH` is a match, at least :data:`CLOSE` a close match
(a modified or different version of the text), below that no match.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

from pydantic import Field

from openmodel_gov._core import Citation, Frozen

__all__ = ["CLOSE", "MATCH", "LicenseMatch", "identify", "words"]

#: Dice score at or above which a text is the license.
MATCH = 0.9
#: Dice score at or above which a text is close to the license (modified, another version).
CLOSE = 0.75

_COPYRIGHT = re.compile(r"^\s*(?:copyright|\(c\)|©).*$", re.IGNORECASE | re.MULTILINE)
_TEMPLATE = re.compile(r"\[[^\]\n]{1,40}\]|<[^>\n]{1,40}>|\{[^}\n]{1,40}\}")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SPELLING = {"licence": "license", "licences": "licenses", "licenced": "licensed"}


def words(text: str) -> frozenset[str]:
    """The normalised set of distinct words of a license text.

    >>> sorted(words("Copyright (c) 2024 Acme\\nThe Licence is granted [year]."))
    ['granted', 'is', 'license', 'the']
    """
    text = _TEMPLATE.sub(" ", _COPYRIGHT.sub(" ", text))
    return frozenset(_SPELLING.get(w, w) for w in _WORD.findall(text.casefold()))


class LicenseMatch(Frozen):
    """The license a text was identified as, and how sure the match is.

    Attributes:
        license: canonical id, or ``None`` when no fingerprint is close enough.
        name: its human name.
        score: Dice similarity of the word sets (0..1) with the best fingerprint.
        certainty: ``match`` (>= 0.9), ``close`` (>= 0.75: a modified text or another
            version: read it), ``none``.
        runner_up: the second-best license and its score, when it is close too.
        citation: where the fingerprinted text comes from.
    """

    license: str | None
    name: str | None = None
    score: float = Field(ge=0.0, le=1.0)
    certainty: str
    runner_up: tuple[str, float] | None = None
    citation: Citation | None = None

    def __str__(self) -> str:
        if self.license is None:
            return f"no license identified (best score {self.score:.2f})"
        return f"{self.name} ({self.license}): {self.certainty}, score {self.score:.2f}"


@functools.cache
def _fingerprints() -> tuple[tuple[str, frozenset[str], Citation], ...]:
    raw = json.loads(
        (
            resources.files("openmodel_gov") / "data" / "licenses" / "license-fingerprints.json"
        ).read_text(encoding="utf-8")
    )
    out = []
    for row in raw["licenses"]:
        src = row["source"]
        cite = Citation(
            source=f"{src['repository']}:{src['path']}",
            section=f"commit {src['commit'][:12]}",
            url=f"https://github.com/{src['repository']}/blob/{src['commit']}/{src['path']}",
            note=f"sha256 {src['sha256']}",
        )
        out.append((str(row["id"]), frozenset(row["words"]), cite))
    return tuple(out)


#: A text this much larger than a license text is read as embedding it (a gate prompt with
#: the agreement and its use policy, a README quoting the license).
_EMBEDDED = 1.5
#: What an embedded match gives up against a whole-text match of the same coverage.
_EMBEDDED_PENALTY = 0.05


def _score(seen: frozenset[str], ref: frozenset[str]) -> float:
    """Dice of the word sets; for a much larger text, the share of the license's words in it."""
    if not seen or not ref:
        return 0.0
    common = len(seen & ref)
    if len(seen) > _EMBEDDED * len(ref):
        return max(0.0, common / len(ref) - _EMBEDDED_PENALTY)
    return 2 * common / (len(seen) + len(ref))


#: Scores this close to the best are near-ties (Llama 3.1 / 3.2 / 3.3, CC BY / BY-SA).
_TIE = 0.03


def _separate_near_ties(
    seen: frozenset[str], scored: list[tuple[float, str, Citation]]
) -> list[tuple[float, str, Citation]]:
    """Among near-ties, prefer the text whose distinctive words the input contains most."""
    top = scored[0][0]
    near = [row for row in scored if row[0] >= top - _TIE]
    if len(near) < 2:
        return scored
    refs = {lid: ref for lid, ref, _ in _fingerprints()}

    def distinct(lid: str) -> float:
        others = frozenset().union(*(refs[o] for _, o, _ in near if o != lid))
        own = refs[lid] - others
        return len(own & seen) / len(own) if own else 0.0

    ranked = sorted(near, key=lambda row: (-distinct(row[1]), -row[0], row[1]))
    return ranked + [row for row in scored if row not in near]


def identify(text: str) -> LicenseMatch:
    """Implementation of :func:`openmodel_gov.licenses.identify_license_text`."""
    from openmodel_gov.licenses._names import name_of

    seen = words(text)
    scored = sorted(
        ((_score(seen, ref), lid, cite) for lid, ref, cite in _fingerprints()),
        key=lambda item: (-item[0], item[1]),
    )
    scored = _separate_near_ties(seen, scored)
    best, lid, cite = scored[0]
    second = scored[1] if len(scored) > 1 else None
    runner = (second[1], round(second[0], 3)) if second and second[0] >= CLOSE else None
    if best < CLOSE:
        return LicenseMatch(license=None, score=round(best, 3), certainty="none")
    return LicenseMatch(
        license=lid,
        name=name_of(lid),
        score=round(best, 3),
        certainty="match" if best >= MATCH else "close",
        runner_up=runner,
        citation=cite,
    )
