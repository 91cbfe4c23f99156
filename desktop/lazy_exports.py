"""A package's public names, imported when first used (PEP 562), not when the package is.

``import desktop.bbb.models`` runs ``desktop/bbb/__init__.py`` first; when that file imports the
whole package (the client, httpx, lxml...), reading one small module costs the lot.  A package
lists its names in ``if TYPE_CHECKING:`` imports (for type checkers and readers) and, for the
running program, in :func:`lazy_exports`: ``from desktop.bbb import BBBClient`` still works and
loads ``desktop.bbb.client`` only then (issue 13: the start path loads what the first window
needs).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_exports(
    namespace: dict[str, Any], exports: Mapping[str, Iterable[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for the package whose ``globals()`` is ``namespace``;
    ``exports`` maps each submodule to the names it gives the package."""
    where = {name: module for module, names in exports.items() for name in names}
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value  # the next lookup is a plain attribute
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return __getattr__, __dir__
