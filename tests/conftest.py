"""Suite-wide test settings.

Hypothesis: no per-example deadline and no "too slow" health check. The check suite runs on
2 shared cores, where a slow example or a slow first draw says nothing about the code under
test; speed is measured by ``benchmarks/``, never by unit tests. Example counts stay at
Hypothesis' defaults unless a test sets its own. ``HYPOTHESIS_PROFILE=nightly`` selects the
large fuzz budget.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "openmodel-gov",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# The nightly fuzz run: HYPOTHESIS_PROFILE=nightly python -m pytest tests/fuzz -p no:cacheprovider
# (10,000 examples per fuzz target, each bounded to 1 s; see tests/fuzz/_fuzz.py).
settings.register_profile(
    "nightly",
    parent=settings.get_profile("openmodel-gov"),
    max_examples=10_000,
    deadline=1000,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "openmodel-gov"))
