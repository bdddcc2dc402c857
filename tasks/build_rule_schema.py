"""Write the published rule-pack JSON Schema from the pydantic models.

Usage: ``python tasks/build_rule_schema.py`` (``--check`` exits 1 if the file is stale).
"""

from __future__ import annotations

import sys
from pathlib import Path

from openmodel_gov._core._io import atomic_write_text, dump_json
from openmodel_gov.compliance._schema import SCHEMA_RESOURCE, generate_rule_pack_schema

TARGET = Path(__file__).resolve().parent.parent / "src" / "openmodel_gov" / SCHEMA_RESOURCE


def main() -> int:
    text = dump_json(generate_rule_pack_schema())
    if "--check" in sys.argv[1:]:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is stale; run python tasks/build_rule_schema.py")
            return 1
        print(f"{TARGET} is up to date")
        return 0
    atomic_write_text(TARGET, text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
