"""Handing a kernel's freed memory back to the system (issue 16: memory per learner).

A season of the reception centre (:mod:`mixedflows.reception`) builds lists and arrays of
every person's times: on the exercise's season (about 19,000 people) some 10 MB, on the largest
(about 107,000) several times that. Python frees them once the view is drawn, but glibc's
allocator keeps the freed pages in the process (its heap only shrinks from the top, and a
freed block of a list or an array under its mmap threshold, which grows as large blocks are
freed, stays in the heap): the kernel kept about 9 MB it no longer used after every move of
the reception app (``benchmarks/kernel_memory.py``). :func:`release` asks glibc to return
them (``malloc_trim``, which also gives back free pages inside the heap). It costs a few
milliseconds at most and is called after the work that allocates much (a season simulated,
10 seasons, a plan checked), not on every callback.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, musl, Windows)."""
    import ctypes

    try:
        fn = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError, TypeError):
        return None
    fn.argtypes = [ctypes.c_size_t]
    fn.restype = ctypes.c_int
    return fn


def release() -> bool:
    """Return the C heap's free pages to the operating system; True if the C library could be
    asked (glibc), False where it cannot (nothing is done there)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
