"""PII detection and redaction for training data: Presidio + spaCy, from one text to Ray.

Needs the ``[pii]`` extra. Importing this module is cheap: spaCy and Presidio load when a
detector is first built (once per process and configuration); Ray only with
:mod:`openmodel_gov.pii.ray`.

>>> from openmodel_gov.pii import PiiConfig, redact_text
>>> cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS", "PHONE_NUMBER"])
>>> print(redact_text("Call +1 415-555-2671 or mail ops@example.com", config=cfg).text)
Call <PHONE_NUMBER> or mail <EMAIL_ADDRESS>
"""

from __future__ import annotations

from openmodel_gov._core._pii_summary import PiiScanSummary
from openmodel_gov.pii._api import redact_text, scan_text, scan_texts
from openmodel_gov.pii._config import (
    DEFAULT_ENTITIES,
    NATIONAL_IDS,
    PRESETS,
    CustomRecognizer,
    Operator,
    PiiConfig,
    RecognizerPattern,
    entity_types,
)
from openmodel_gov.pii._engine import NoNerModelWarning, PiiDetector, PresidioDetector
from openmodel_gov.pii._evaluate import (
    EntityScore,
    EvaluationReport,
    LabeledSpan,
    LabeledText,
    evaluate,
    load_evalset,
)
from openmodel_gov.pii._files import FileFormat, redact_file, scan_file
from openmodel_gov.pii._records import BatchRedactor, Progress, redact_records, scan_records
from openmodel_gov.pii._report import PiiReport
from openmodel_gov.pii._results import PiiFinding, Redaction

__all__ = [
    "DEFAULT_ENTITIES",
    "NATIONAL_IDS",
    "PRESETS",
    "BatchRedactor",
    "CustomRecognizer",
    "EntityScore",
    "EvaluationReport",
    "FileFormat",
    "LabeledSpan",
    "LabeledText",
    "NoNerModelWarning",
    "Operator",
    "PiiConfig",
    "PiiDetector",
    "PiiFinding",
    "PiiReport",
    "PiiScanSummary",
    "PresidioDetector",
    "Progress",
    "RecognizerPattern",
    "Redaction",
    "entity_types",
    "evaluate",
    "load_evalset",
    "redact_file",
    "redact_records",
    "redact_text",
    "scan_file",
    "scan_records",
    "scan_text",
    "scan_texts",
]

from openmodel_gov._core._public import publish as _publish

_publish(__name__, globals(), __all__)
