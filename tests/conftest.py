"""Suite-wide test settings.

Hypothesis: no per-example deadline and no "too slow" health check. The check suite runs on
2 shared cores, where a slow example or a slow first draw says nothing about the code under
test; speed is measured by ``benchmarks/``, never by unit tests. Example counts stay at
Hypothesis' defaults unless a test sets its own.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "openmodel-gov",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("openmodel-gov")
