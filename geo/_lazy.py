"""Names imported on first use (PEP 562), for ``geo`` and its subpackages.

``import geo`` and one geocoding query must not pay for pandas and geopandas,
so a package's ``__init__`` maps each public name to the module defining it
and imports that module when the name is first read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def attach(package: str, names: Mapping[str, str]) -> tuple[Callable, Callable]:
    """``__getattr__`` and ``__dir__`` for ``package``; ``names`` maps a name to
    its module, relative to the package (``{"Gazetteer": "core"}``)."""
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str):
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        namespace[name] = value  # later lookups skip __getattr__
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *names})

    return __getattr__, __dir__
