"""Worker processes for ``scan_texts(..., workers=N)``: each loads the pipeline once.

Spawn-safe: workers start with ``multiprocessing``'s ``spawn`` context (no inherited threads or
locks), build their detector in the pool initializer, and receive only texts afterwards.
"""

from __future__ import annotations

import multiprocessing
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

from openmodel_gov.pii._config import PiiConfig
from openmodel_gov.pii._engine import NoNerModelWarning, PiiDetector, PresidioDetector
from openmodel_gov.pii._results import PiiFinding

__all__ = ["batched", "map_chunks", "worker_detect", "worker_init"]

T = TypeVar("T")

_DETECTOR: list[PresidioDetector] = []


def batched(items: Iterable[str], size: int) -> Iterator[list[str]]:
    """Lists of up to ``size`` items, in order.

    >>> list(batched("abcde", 2))
    [['a', 'b'], ['c', 'd'], ['e']]
    """
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def worker_init(config: PiiConfig) -> None:
    """Pool initializer: build this process's detector once (the parent already warned)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoNerModelWarning)
        _DETECTOR[:] = [PresidioDetector(config)]


def worker_detect(texts: list[str]) -> list[list[PiiFinding]]:
    """Run this process's detector on one chunk."""
    return _DETECTOR[0].detect(texts)


def map_chunks(
    chunks: Iterable[tuple[T, list[str]]],
    *,
    config: PiiConfig,
    workers: int,
    detector: PiiDetector | None = None,
) -> Iterator[tuple[T, list[list[PiiFinding]]]]:
    """Findings for each chunk of texts, in input order, each chunk with its tag.

    ``workers <= 1`` runs ``detector`` here. Otherwise ``workers`` spawned processes each
    build their own detector once; at most ``2 * workers`` chunks are in flight, so memory
    stays bounded for any input size.
    """
    if workers <= 1:
        assert detector is not None
        for tag, texts in chunks:
            yield tag, detector.detect(texts)
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=worker_init, initargs=(config,)
    ) as pool:
        pending: deque[tuple[T, Future[list[list[PiiFinding]]]]] = deque()
        try:
            for tag, texts in chunks:
                pending.append((tag, pool.submit(worker_detect, texts)))
                if len(pending) >= 2 * workers:
                    done_tag, future = pending.popleft()
                    yield done_tag, future.result()
            while pending:
                done_tag, future = pending.popleft()
                yield done_tag, future.result()
        finally:
            for _, future in pending:
                future.cancel()
