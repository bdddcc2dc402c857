"""Build ``handwritten_{dev,heldout}.jsonl`` from the inline-labelled sources in ``handwritten/``.

Each source record starts with a line ``### <kind> <lang>``; the text follows up to the next
such line. A labelled value is written ``⟦value|ENTITY_TYPE⟧``: the markers are removed and the
character offsets of ``value`` in the resulting text are computed here, so they are exact.
Run: ``python tests/data/pii/build_handwritten.py`` (deterministic; rewrites both JSONL files).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
_LABEL = re.compile(r"⟦([^⟦⟧|]+)\|([A-Z][A-Z0-9_]*)⟧")


def parse_record(raw: str) -> tuple[str, list[dict[str, object]]]:
    """The plain text and its spans, from one inline-labelled record."""
    out: list[str] = []
    spans: list[dict[str, object]] = []
    cursor = 0
    length = 0
    for match in _LABEL.finditer(raw):
        before = raw[cursor : match.start()]
        out.append(before)
        length += len(before)
        value, entity = match.group(1), match.group(2)
        spans.append({"start": length, "end": length + len(value), "entity_type": entity})
        out.append(value)
        length += len(value)
        cursor = match.end()
    out.append(raw[cursor:])
    text = "".join(out)
    if "⟦" in text or "⟧" in text:
        raise ValueError(f"unbalanced label markers in: {raw[:80]!r}")
    return text, spans


def build(part: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for source in sorted((HERE / "handwritten").glob(f"{part}_*.txt")):
        chunks = re.split(r"^### ", source.read_text(encoding="utf-8"), flags=re.MULTILINE)
        for number, chunk in enumerate(c for c in chunks if c.strip()):
            header, _, body = chunk.partition("\n")
            kind, lang = header.split()
            text, spans = parse_record(body.rstrip())
            rows.append(
                {
                    "id": f"{source.stem}-{number:03d}",
                    "kind": kind,
                    "lang": lang,
                    "text": text,
                    "spans": spans,
                }
            )
    return rows


def main() -> int:
    for part in ("dev", "heldout"):
        rows = build(part)
        path = HERE.parents[2] / "src/openmodel_gov/data/pii" / f"handwritten_{part}.jsonl"
        path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
        negatives = sum(1 for r in rows if not r["spans"])
        print(f"{path.name}: {len(rows)} texts, {negatives} without PII")
    return 0


if __name__ == "__main__":
    sys.exit(main())
