"""``SECRET``: credentials in code, configs and logs, found by detect-secrets' plugins.

detect-secrets (Yelp, Apache-2.0) is a maintained scanner with one plugin per credential kind
(AWS keys, GitHub/GitLab/Slack/Stripe/npm/PyPI tokens, JWTs, private keys, ``password = ...``
keywords, basic-auth URLs ...). :class:`SecretRecognizer` runs the plugins listed in
``recognizers.yaml`` line by line (as detect-secrets scans files), locates each reported
value in the line, and adds the shapes no plugin covers (also listed, with sources, in the
facts file). Each finding's recognizer name carries the kind: ``SecretRecognizer[AWS Access
Key]``. Placeholders (``********``, ``<REDACTED>``, ``${TOKEN}``) are not secrets.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from openmodel_gov._core._deps import require
from openmodel_gov.pii._facts import PiiFacts

__all__ = ["SecretRecognizer"]

# detect-secrets picks its keyword regexes by file type: a config-style name catches
# ``key = value`` / ``key: value``, a Python name catches quoted assignments and calls.
_PSEUDO_FILES = ("secrets.yaml", "secrets.py")
_LONG_LINE = 4096


class SecretRecognizer(EntityRecognizer):
    """Credentials (entity ``SECRET``), the kind in the recognizer name."""

    def __init__(self, *, facts: PiiFacts, supported_language: str) -> None:
        require("detect_secrets", extra="pii", feature="SECRET detection")
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

        mapping: dict[str, Any] = get_mapping_from_secret_type_to_class()
        classes: dict[str, Any] = {c.__name__: c for c in mapping.values()}
        self._plugins: list[Any] = [classes[n]() for n in facts.secret_plugins if n in classes]
        self._patterns = [(p.kind, re.compile(p.regex)) for p in facts.secret_patterns]
        self._placeholders = tuple(p.lower() for p in facts.secret_placeholders)
        self._markers = tuple(m.lower() for m in facts.secret_placeholder_markers)
        super().__init__(
            supported_entities=["SECRET"],
            name="SecretRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Secrets in ``text``: plugin findings located in their line, plus pattern matches."""
        spans: dict[tuple[int, int], str] = {}
        for kind, rx in self._patterns:
            for m in rx.finditer(text):
                start, end = m.span("secret") if "secret" in rx.groupindex else m.span()
                if not self._placeholder(text[start:end]):
                    spans.setdefault((start, end), kind)
        offset = 0
        for number, line in enumerate(text.split("\n"), start=1):
            if len(line) <= _LONG_LINE and self._worth_scanning(line):
                for start, end, kind in self._scan_line(line, number):
                    spans.setdefault((offset + start, offset + end), kind)
            offset += len(line) + 1
        return [self._result(s, e, kind) for (s, e), kind in sorted(spans.items())]

    @staticmethod
    def _worth_scanning(line: str) -> bool:
        return any(c.isalnum() for c in line) and len(line.strip()) >= 8

    def _scan_line(self, line: str, number: int) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        for plugin in self._plugins:
            for filename in _PSEUDO_FILES:
                for secret in plugin.analyze_line(filename=filename, line=line, line_number=number):
                    value = secret.secret_value
                    if not value or plugin.__class__.__name__ == "PrivateKeyDetector":
                        continue  # the block pattern covers the whole key, not its first line
                    if len(value.split()) > 2:
                        continue  # a sentence after "password" in prose, not a value
                    if _SECRETARY.search(line):
                        continue  # "Secretariou: Compras.": a secretary, not a secret
                    found.extend(
                        (s, e, secret.type)
                        for s, e in (
                            _without_comment(line, *span) for span in _locate(plugin, value, line)
                        )
                        if not self._placeholder(line[s:e])
                        and not _REFERENCE_KEY.search(line, 0, s)
                    )
                if plugin.__class__.__name__ != "KeywordDetector":
                    break  # only the keyword plugin depends on the file type
        return found

    def _placeholder(self, value: str) -> bool:
        bare = value.strip().strip("\"'()[],;")  # "(using password: YES)"
        if _CONSTANT_NAME.fullmatch(bare):
            return True  # a constant's name: "aws_secret_access_key=AWS_SECRET_ACCESS_KEY"
        low = bare.lower()
        if len(low) < 4 or len(set(low)) <= 2:
            return True
        if _TEMPLATE.search(bare):
            return True  # "sk_test_<TU_CLAVE>", "pk_${STAGE}_key": a template to fill in
        if any(marker in low for marker in self._markers):
            return True  # "AKIAIOSFODNN7EXAMPLE", "sk-...REDACTED", ".../TXXXXXXXX/..."
        if low in self._placeholders or re.sub(r"[\s_.-]", "", low) in self._placeholders:
            return True  # "CHANGE_ME", "replace-me"
        # Markers ("<", "${", "os.environ") and "your..." start placeholders; words must match.
        return low.startswith(
            tuple(p for p in self._placeholders if not p.isalpha() or p == "your")
        )

    def _result(self, start: int, end: int, kind: str) -> RecognizerResult:
        name = f"SecretRecognizer[{kind}]"
        return RecognizerResult(
            entity_type="SECRET",
            start=start,
            end=end,
            score=0.9,
            analysis_explanation=AnalysisExplanation(
                recognizer=name, original_score=0.9, textual_explanation=kind
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


# An upper-case constant's name after a key word: a reference to the value, not the value.
_CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
# The secretary and the secretariat (EN, FR, ES, PT, IT, DE, NL, PL) as a line's label: the
# keyword plugin reads "secret" in them.
# A key that names where a secret lives, not the secret: "passwordSecretRef: ingest-pg/password",
# "password_file: /run/secrets/db", "secret_name: prod-db".
_REFERENCE_KEY = re.compile(r"(?i)(?:ref|name|file|path|arn)[\"']?[ \t]*[:=][ \t]*[\"']?$")
# A slot of a template inside the value: "<TU_CLAVE>", "${STAGE}", "{{ token }}".
_TEMPLATE = re.compile(r"<[^<>\s]+>|\$\{[^}]+\}|\{\{[^}]+\}\}")
_SECRETARY = re.compile(
    r"(?i)(?<![\w])(?:secret(?:ary|aria|ariat|ário|ária|ariou|ariado|ário|aire)|sekret(?:är|ärin|ariat|arz|arka))\w*[ \t]*[:=]"
)


def _locate(plugin: Any, value: str, line: str) -> list[tuple[int, int]]:
    """Where ``value`` is in ``line``: a short value (a plugin that reports only a token's
    prefix group, such as ``ghp``) is widened to the plugin's whole pattern match."""
    if len(value) < 8:
        spans = [
            m.span()
            for rx in getattr(plugin, "denylist", ())
            for m in rx.finditer(line)
            if value in m.group()
        ]
        if spans:
            return spans
    return [m.span() for m in re.finditer(re.escape(value), line)]


def _without_comment(line: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` cut before an inline comment: ``changeme   # override with --set``.

    >>> _without_comment("password: changeme   # override", 10, 32)
    (10, 18)
    """
    cut = re.search(r"\s+#", line[start:end])
    return (start, start + cut.start()) if cut else (start, end)
