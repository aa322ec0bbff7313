"""Matrix products of a spaCy pipeline through numpy's BLAS, one thread per process.

thinc's ``NumpyOps.gemm`` calls blis. For the shapes spaCy's small models multiply (a batch of
tokens by a 288-wide layer) the OpenBLAS that numpy ships runs about three times faster on one
core. Only the products change; every other operation stays thinc's own. BLAS is kept to one
thread while detente parses: parsing already runs one process per core, and OpenBLAS threads
competing with those processes made the products slower, not faster.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

import numpy
from spacy.language import Language
from thinc.api import Model, NumpyOps
from threadpoolctl import ThreadpoolController


class MatmulOps(NumpyOps):
    name = "detente_matmul"

    def gemm(self, x: Any, y: Any, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
        left = x.T if trans1 else x
        right = y.T if trans2 else y
        if out is None:
            return numpy.matmul(left, right)
        numpy.matmul(left, right, out=out)
        return out


def use_matmul_ops(nlp: Language) -> None:
    """Give every layer of ``nlp``'s components the numpy-BLAS products."""
    ops = MatmulOps()
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                node.ops = ops


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    with _controller().limit(limits=1, user_api="blas"):
        yield
