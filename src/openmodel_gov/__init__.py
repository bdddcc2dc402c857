"""openmodel-gov: composable governance primitives for open-source AI models.

Public names resolve lazily from this package root, so ``import openmodel_gov`` stays cheap:
nothing heavy (spaCy, Presidio, jsonschema, cryptography, Ray) is imported until a function
that needs it is called.

>>> import openmodel_gov
>>> openmodel_gov.load_card.__module__
'openmodel_gov.cards'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0.dev0"

# name -> submodule that defines it. The single source of truth for the root's public API.
_EXPORTS: dict[str, str] = {
    "ModelCard": "cards",
    "Component": "cards",
    "load_card": "cards",
    "card_json_schema": "cards",
    "validate_card_file": "cards",
    "OpenModelGovError": "errors",
}

__all__ = [
    "Component",
    "ModelCard",
    "OpenModelGovError",
    "__version__",
    "card_json_schema",
    "load_card",
    "validate_card_file",
]

if TYPE_CHECKING:
    from openmodel_gov.cards import (
        Component as Component,
    )
    from openmodel_gov.cards import (
        ModelCard as ModelCard,
    )
    from openmodel_gov.cards import (
        card_json_schema as card_json_schema,
    )
    from openmodel_gov.cards import (
        load_card as load_card,
    )
    from openmodel_gov.cards import (
        validate_card_file as validate_card_file,
    )
    from openmodel_gov.errors import OpenModelGovError as OpenModelGovError


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'openmodel_gov' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"openmodel_gov.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
