"""Progress of a manifest run: a byte counter feeding a callback and, on a terminal, a tqdm bar.

The bar shows the phase (walking, loading, hashing, verifying), bytes with binary units, the
rate and an ETA, and the number of files done, e.g.::

    hashing:  41%|████      | 1.62G/3.91G [00:01<00:02, 1.05GB/s, files=8,215/20,000]

tqdm is imported only when a bar is drawn. Callbacks get ``(done_bytes, total_bytes)`` as
before, from worker threads, at most about ten times a second.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TextIO

__all__ = ["Phase", "Progress", "ProgressCallback"]

#: ``(done_bytes, total_bytes)``; called from worker threads, at most ~10 times a second.
ProgressCallback = Callable[[int, int], None]

Phase = str


class Progress:
    """Thread-safe byte and file counter feeding a callback and/or a stderr bar.

    The bar appears only after ``delay`` seconds (runs shorter than that draw nothing).

    >>> seen = []
    >>> p = Progress(10, lambda done, total: seen.append((done, total)), bar=False)
    >>> p.add(10, files=1)
    >>> p.close()
    >>> seen
    [(10, 10)]
    """

    def __init__(
        self,
        total: int,
        callback: ProgressCallback | None,
        *,
        bar: bool,
        stream: TextIO | None = None,
        delay: float = 1.0,
        phase: Phase = "hashing",
        files: int = 0,
    ) -> None:
        self.total = total
        self.done = 0
        self.files_total = files
        self.files_done = 0
        self.phase = phase
        self._callback = callback
        self._bar_wanted = bar
        self._stream = stream if stream is not None else sys.stderr
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._last = 0.0
        self._delay = delay
        self._bar: Any = None

    def add(self, n: int, *, files: int = 0) -> None:
        """Count ``n`` more bytes (and ``files`` more files) done."""
        with self._lock:
            self.done += n
            self.files_done += files
            now = time.monotonic()
            if now - self._last < 0.1 and self.done < self.total:
                return
            self._last = now
            if self._callback is not None:
                self._callback(self.done, self.total)
            if self._bar_wanted and now - self._start >= self._delay:
                self._draw()

    def _draw(self) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=self.total,
                desc=self.phase,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                file=self._stream,
                dynamic_ncols=True,
                leave=True,
                mininterval=0.1,
            )
        self._bar.total = self.total  # grows while workers still find folders (fan-out)
        self._bar.n = self.done
        if self.files_total:
            self._bar.set_postfix_str(f"files={self.files_done:,}/{self.files_total:,}", False)
        self._bar.refresh()

    def close(self) -> None:
        """End the bar, if one was drawn."""
        with self._lock:
            if self._bar is not None:
                self._bar.n = self.done
                self._bar.close()
                self._bar = None
