"""Worker processes for the stages: spawned (never forked: DuckDB, torch and spaCy hold threads and
locks a fork would copy half-taken), and gone when the process that started them dies.

A pool's workers otherwise outlive a parent that is killed (``kill``, a job scheduler, the OOM
killer): they wait on their task queue for ever, each holding a loaded model and its heap.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def spawn_pool(
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes that exit if this process dies; ``initializer``
    runs once in each, as in ``ProcessPoolExecutor``."""
    return ProcessPoolExecutor(
        workers,
        mp_context=get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(), initializer, initargs),
    )


def _start_worker(parent_pid: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    exit_with_parent(parent_pid)
    if initializer is not None:
        initializer(*initargs)


def exit_with_parent(parent_pid: int) -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (elsewhere: nothing), then
    leave at once if the parent died before the request."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)
