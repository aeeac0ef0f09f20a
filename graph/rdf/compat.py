"""A shim for rdflib 7.6, whose own TriG/N-Quads/JSON-LD plugins call its deprecated Dataset API.

The DeprecationWarnings they raise are rdflib's internal business; silencing them (and only them) keeps
our strict warning policy meaningful for our own code.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def rdflib_internal_deprecations_silenced() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
        yield
