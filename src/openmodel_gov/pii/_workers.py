"""Worker processes for ``scan_texts(..., workers=N)``: each loads the pipeline once.

Spawn-safe: workers start with ``multiprocessing``'s ``spawn`` context (no inherited threads or
locks), build their detector in the pool initializer, and receive only texts afterwards.

* Small inputs (fewer than :data:`IN_PROCESS_BELOW` texts) run in this process: starting
  workers and loading a pipeline in each costs seconds, more than scanning them here.
* Workers die with their parent: on Linux the kernel sends them ``SIGKILL`` when the parent
  dies (``PR_SET_PDEATHSIG``), and everywhere a watchdog thread exits a worker whose parent
  process id changed.
* A pool that breaks while starting raises :class:`~openmodel_gov.errors.WorkerError` that says
  how to fix the usual cause (a script without an ``if __name__ == "__main__":`` guard).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import TypeVar

from openmodel_gov.errors import WorkerError
from openmodel_gov.pii._config import PiiConfig
from openmodel_gov.pii._engine import (
    NoNerModelWarning,
    PiiDetector,
    PresidioDetector,
    cached_detector,
    get_detector,
)
from openmodel_gov.pii._results import PiiFinding

__all__ = [
    "IN_PROCESS_BELOW",
    "batched",
    "map_chunks",
    "tie_to_parent",
    "worker_detect",
    "worker_init",
    "worker_ready",
]

T = TypeVar("T")

#: Inputs with fewer texts than this are scanned in this process even when workers are asked
#: for (measured with benchmarks/bench_pii.py: below this, pool start-up dominates).
IN_PROCESS_BELOW = 512

_DETECTOR: list[PresidioDetector] = []
_GUARD_HINT = (
    "worker processes died while starting. The usual cause: the calling script starts them at "
    'import time. Put the call under `if __name__ == "__main__":` (worker processes re-import '
    "the main script), or pass workers=1"
)


def batched(items: Iterable[str], size: int) -> Iterator[list[str]]:
    """Lists of up to ``size`` items, in order.

    >>> list(batched("abcde", 2))
    [['a', 'b'], ['c', 'd'], ['e']]
    """
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def tie_to_parent(parent: int, *, interval: float = 1.0) -> None:  # pragma: no cover
    """End this process when ``parent`` dies: ``PR_SET_PDEATHSIG`` on Linux, and a watchdog.

    The watchdog thread polls ``os.getppid()`` every ``interval`` seconds and calls
    ``os._exit(1)`` once it differs from ``parent`` (the process was re-parented).

    Runs in worker processes only (coverage does not follow them); tested end to end by
    ``tests/pii/test_pii_jobs.py::test_workers_die_with_their_killed_parent``.
    """
    try:  # Linux: the kernel kills us with the parent, even if we are stuck in C code.
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)  # pragma: no cover - runs in a worker whose parent died

    threading.Thread(target=watch, name="pii-parent-watchdog", daemon=True).start()


def worker_init(config: PiiConfig, parent: int | None = None) -> None:
    """Pool initializer: tie this worker to its parent, build its detector once."""
    if multiprocessing.parent_process() is not None and parent is None:  # pragma: no cover
        parent = os.getppid()
    if parent is not None:  # pragma: no cover - only in a worker process
        tie_to_parent(parent)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoNerModelWarning)
        _DETECTOR[:] = [PresidioDetector(config)]


def worker_detect(texts: list[str]) -> list[list[PiiFinding]]:
    """Run this process's detector on one chunk."""
    return _DETECTOR[0].detect(texts)


def worker_ready() -> bool:
    """A no-op task: its answer says a worker has finished its initializer."""
    return bool(_DETECTOR)


def _check_not_bootstrapping() -> None:
    """Refuse to start workers from a worker that is still importing the main script."""
    if multiprocessing.parent_process() is not None and getattr(
        multiprocessing.current_process(), "_inheriting", False
    ):  # pragma: no cover - only inside a spawned child re-running an unguarded script
        raise WorkerError(_GUARD_HINT)


def map_chunks(
    chunks: Iterable[tuple[T, list[str]]],
    *,
    config: PiiConfig,
    workers: int,
    detector: PiiDetector | None = None,
    in_process_below: int = IN_PROCESS_BELOW,
) -> Iterator[tuple[T, list[list[PiiFinding]]]]:
    """Findings for each chunk of texts, in input order, each chunk with its tag.

    ``workers <= 1`` runs ``detector`` (or the cached detector for ``config``) here, and so do
    inputs of fewer than ``in_process_below`` texts. Otherwise ``workers`` spawned processes
    each build their own detector once; at most ``2 * workers`` chunks are in flight, so memory
    stays bounded for any input size.

    Raises:
        WorkerError: the worker pool broke (how to fix it is in the message).
    """
    it = iter(chunks)
    if workers > 1:
        head: list[tuple[T, list[str]]] = []
        count = 0
        for item in it:
            head.append(item)
            count += len(item[1])
            if count >= in_process_below:
                break
        else:
            workers = 1  # the whole input is small: scan it here
        it = chain(head, it)
    if workers <= 1:
        here = detector if detector is not None else get_detector(config)
        for tag, texts in it:
            yield tag, here.detect(texts)
        return
    _check_not_bootstrapping()
    helper = detector if detector is not None else cached_detector(config)
    yield from _in_pool(it, config=config, workers=workers, helper=helper)


#: While the oldest chunk in the workers is not done, this process scans chunks itself, up to
#: this many results held ahead of it (memory stays bounded).
HELP_AHEAD = 8


def _in_pool(
    chunks: Iterator[tuple[T, list[str]]],
    *,
    config: PiiConfig,
    workers: int,
    helper: PiiDetector | None = None,
) -> Iterator[tuple[T, list[list[PiiFinding]]]]:
    """Chunks through a spawned pool, in order. Workers take seconds to start (import Presidio,
    load the pipeline); when this process already has a detector (``helper``), it scans chunks
    itself until a worker has started (no chunk waits in a starting worker), and afterwards
    the next chunk whenever it would otherwise wait for a worker."""
    ctx = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=worker_init,
            initargs=(config, os.getpid()),
        ) as pool:
            pending: _Pending[T] = deque()
            # Workers answer a probe once their initializer (pipeline load) is done; until one
            # has, chunks scanned here go straight out and none waits in a starting worker.
            probes = [pool.submit(worker_ready) for _ in range(workers)] if helper else []
            try:
                for tag, texts in chunks:
                    if helper is not None and not pending and not any(p.done() for p in probes):
                        yield tag, helper.detect(texts)
                        continue
                    help_here = False
                    while _in_workers(pending) >= 2 * workers:
                        if helper is not None and _may_help(pending):
                            help_here = True  # the workers are busy or still starting
                            break
                        yield _pop(pending)
                    if help_here and helper is not None:
                        pending.append((tag, helper.detect(texts)))
                    else:
                        pending.append((tag, pool.submit(worker_detect, texts)))
                    while pending and _head_ready(pending):
                        yield _pop(pending)
                while pending:
                    yield _pop(pending)
                _check_started(probes)
            finally:
                for _, future in pending:
                    if isinstance(future, Future):
                        future.cancel()
    except BrokenProcessPool:
        raise WorkerError(_GUARD_HINT) from None


_Pending = deque[tuple[T, "Future[list[list[PiiFinding]]] | list[list[PiiFinding]]"]]


def _may_help(pending: _Pending[T]) -> bool:
    """Whether this process may scan a chunk now: the oldest is not done, few results ahead."""
    return len(pending) - _in_workers(pending) < HELP_AHEAD and not _head_ready(pending)


def _check_started(probes: list[Future[bool]]) -> None:
    """Raise ``BrokenProcessPool`` if the workers could not start, even when this process
    scanned every chunk itself (a script without a main guard must still hear about it)."""
    for probe in probes:
        if isinstance(probe.exception(), BrokenProcessPool):
            raise BrokenProcessPool("worker processes could not start")


def _in_workers(pending: _Pending[T]) -> int:
    return sum(isinstance(item, Future) for _, item in pending)


def _head_ready(pending: _Pending[T]) -> bool:
    item = pending[0][1]
    return not isinstance(item, Future) or item.done()


def _pop(pending: _Pending[T]) -> tuple[T, list[list[PiiFinding]]]:
    """The result at the front of ``pending`` (waiting for its worker if needed)."""
    tag, item = pending.popleft()
    return tag, item.result() if isinstance(item, Future) else item
