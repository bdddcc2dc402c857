"""Redact the PII in a JSONL dataset (needs the [pii] extra): e-mails, phone numbers and
names become <EMAIL_ADDRESS>, <PHONE_NUMBER>, <PERSON>; other fields pass through.

Usage: python examples/redact_jsonl.py [SRC.jsonl] [DST.jsonl]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from openmodel_gov.audit import example_dir
from openmodel_gov.pii import redact_file


def main(argv: list[str]) -> int:
    src = Path(argv[0]) if argv else example_dir() / "data" / "support-tickets" / "tickets.jsonl"
    dst = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp()) / "tickets.redacted.jsonl"
    report = redact_file(src, dst, fields=["text"])
    print(report)
    print(f"wrote {dst}:")
    print(dst.read_text(encoding="utf-8"))
    print("manifest summary:", report.summary.model_dump(exclude_none=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
