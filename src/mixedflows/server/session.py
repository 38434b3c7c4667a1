"""Who is answering: the learner's pseudonym and the class session, without a login.

Looked up in order: ``MIXEDFLOWS_LEARNER`` / ``MIXEDFLOWS_SESSION`` environment variables; on a
JupyterHub, the hub user the server belongs to (``JUPYTERHUB_USER``, set by the hub for every
single-user server: with the LTI launch it is the LMS's opaque ``sub``, a pseudonym, see
deployment/README.md), which a query string cannot override; the query string of the Voila page (``?learner=...&session=...``, as in a facilitator's join link);
otherwise a random pseudonymous id kept beside the store, so a self-paced learner keeps their
progress across restarts.

Never that kept id in a kernel Voila preheats: the file beside the store is one for the whole
server, so every kernel of the pool would save under the same id (one participant's answers and
drafts shown to the next). There the participant is the claiming page's (:func:`claim`); before
a page claims the kernel, or when its link names no one, :func:`learner_id` raises
:class:`ParticipantUnknownError` and nothing can be saved.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

from mixedflows.store import clean_pseudonym, default_location

IDENTITY_PARAMS = ("learner", "session", "facilitator")
"""The parameters of a link that say who is answering, in which session, with which key."""


class AmbiguousIdentityError(ValueError):
    """A link gives an identity parameter twice (or more), or gives it empty."""


class ParticipantUnknownError(RuntimeError):
    """In a preheated kernel, no participant is known (no page has claimed it yet, or its link
    names no one): nothing may be saved, since the id kept beside the store is every pool
    kernel's. The message is for the learner (the apps' recorder refuses a submission with it:
    ``widgets.common.Recorder.learner``)."""

    def __init__(self) -> None:
        super().__init__(
            "This page does not know who you are, so nothing was saved. Please open the app "
            "from the join link you were given (it carries your name)."
        )


def parse_query(qs: str, *, allow_empty: bool = False) -> dict[str, str]:
    """A page's query string as one value per parameter: the one parser of both the server (its
    seat check) and the kernel (whose answers they are), so the two never read different names.

    Raises :class:`AmbiguousIdentityError`, naming the parameter, when an identity parameter
    (:data:`IDENTITY_PARAMS`) is given more than once, or empty (blank) unless ``allow_empty``:
    ``?learner=Ada&learner=Mal`` would otherwise be Ada to one reader and Mal to the other.
    Other parameters keep their first value.
    """
    out: dict[str, str] = {}
    for key, values in parse_qs(qs, keep_blank_values=True).items():
        if key in IDENTITY_PARAMS:
            if len(values) > 1:
                raise AmbiguousIdentityError(
                    f"this link gives '{key}' {len(values)} times, where one is allowed"
                )
            if not values[0].strip() and not allow_empty:
                raise AmbiguousIdentityError(f"this link gives '{key}' empty")
        if values and (values[0] or key in IDENTITY_PARAMS):
            out[key] = values[0]
    return out


def query_params() -> dict[str, str]:
    """Parameters of the Voila page's URL (empty outside Voila, or before a preheated kernel
    is claimed by a page: see :func:`claim`), read by :func:`parse_query` (the server refuses
    a page whose link :func:`parse_query` refuses, so a kernel never sees one)."""
    return parse_query(os.environ.get("QUERY_STRING", ""))


_ON_CLAIM: list[Callable[[], object]] = []
_CLAIMED: list[bool] = []
"""Set (``[True]``) once a page has claimed this kernel (:func:`claim`): its link may be empty."""


def preheated() -> bool:
    """Whether Voila started this kernel for its pool (before any page asked for it)."""
    return os.environ.get("VOILA_PREHEAT") == "True"


def waiting_for_claim() -> bool:
    """Whether this is a preheated Voila kernel no page has claimed yet (its participant and
    session are not known: :func:`claim`)."""
    return preheated() and not _CLAIMED and not os.environ.get("QUERY_STRING")


def when_claimed(fn: Callable[[], object]) -> bool:
    """Run ``fn`` once the page's participant is known: now (True), or, in a preheated kernel
    not claimed yet, right after :func:`claim` learns the page's link (False). What an app
    reads for its participant when it is built (a role held, a draft, attempts made) is read
    there, so a page served by a preheated kernel shows it as a page started for it would."""
    if waiting_for_claim():
        _ON_CLAIM.append(fn)
        return False
    fn()
    return True


def claim() -> None:
    """In a preheated Voila kernel, wait until a page claims it and learn its URL.

    Voila runs a preheated app's notebook before anyone opens it; this call (the last cell of an
    app) pauses there until a participant's page takes the kernel, so the learner's pseudonym and
    session code from the join link are known. Outside preheating it returns at once.

    This does what ``voila.utils.wait_for_request`` does, without importing ``voila.utils``:
    that module pulls jupyter_server, jupyterlab_server and nbconvert into every kernel, about
    40 MB each (measured with benchmarks/classroom.py).
    """
    if os.environ.get("VOILA_PREHEAT") != "True":
        _run_claimed()
        return
    import asyncio
    import json
    import threading

    import websockets

    base = os.getenv("VOILA_WS_BASE_URL", os.getenv("VOILA_SERVER_URL", "/"))
    url = (
        f"{os.getenv('VOILA_WS_PROTOCOL', 'ws')}://{os.getenv('VOILA_APP_IP', '127.0.0.1')}:"
        f"{os.getenv('VOILA_APP_PORT', '8866')}{base}voila/query/"
        f"{os.environ.get('VOILA_KERNEL_ID', '')}"
    )
    info: dict[str, str] = {}

    async def receive() -> None:
        async with websockets.connect(url, open_timeout=10) as ws:
            info.update(json.loads(await ws.recv()))

    # The kernel's own event loop is running this cell, so wait on a loop of our own.
    thread = threading.Thread(target=lambda: asyncio.run(receive()), daemon=True)
    thread.start()
    thread.join()
    claimed(info)


def claimed(info: dict[str, str]) -> None:
    """A page claimed this kernel: learn its link (``info``, Voila's request info, with
    ``QUERY_STRING``), then run what waited for the participant (:func:`when_claimed`)."""
    os.environ.update({k: str(v) for k, v in info.items()})
    os.environ.setdefault("QUERY_STRING", "")
    _CLAIMED[:] = [True]
    learner_id.cache_clear()
    session_code.cache_clear()
    _run_claimed()


def _run_claimed() -> None:
    """The calls :func:`when_claimed` kept, each once; one that fails is logged, the others
    still run (the page shows the app either way)."""
    import logging

    while _ON_CLAIM:
        fn = _ON_CLAIM.pop(0)
        try:
            fn()
        except Exception:
            logging.getLogger("mixedflows").exception("after the page claimed the kernel")


@cache
def learner_id() -> str:
    """The participant's pseudonym (see the module); raises :class:`ParticipantUnknownError` in a
    preheated kernel that no page has claimed, or whose page's link names no one."""
    env = os.environ.get("MIXEDFLOWS_LEARNER")
    if env:
        return clean_pseudonym(env)
    hub_user = os.environ.get("JUPYTERHUB_USER")
    if hub_user:
        return clean_pseudonym(hub_user)
    q = query_params()
    if q.get("learner"):
        return clean_pseudonym(q["learner"])
    if preheated():  # the kept id is the whole pool's: no one's (see the module)
        raise ParticipantUnknownError()
    loc = default_location()
    if "://" not in loc:
        f = Path(loc).expanduser().parent / "learner_id"
        try:
            if f.exists():
                return clean_pseudonym(f.read_text(encoding="utf-8"))
            f.parent.mkdir(parents=True, exist_ok=True)
            new = "learner-" + secrets.token_hex(4)
            f.write_text(new, encoding="utf-8")
            return new
        except OSError:
            pass
    return "learner-" + secrets.token_hex(4)


@cache
def session_code() -> str:
    env = os.environ.get("MIXEDFLOWS_SESSION")
    if env:
        return clean_pseudonym(env)
    code = query_params().get("session", "")
    return clean_pseudonym(code) if code else ""


def my_progress() -> str:
    """One line for a learner: the pseudonym their answers are saved under, where, and how many
    attempts the store holds for it (printed by the start page's one code cell)."""
    from mixedflows.store import Store, StoreError, _redact, default_location

    who, where = learner_id(), default_location()
    try:
        with Store(where) as store:
            n = len(store.attempts(learner=who))
        held = f"{n} attempt(s) saved so far"
    except (StoreError, OSError) as e:
        held = f"the store cannot be read now ({e})"
    line = f"Your answers are saved as '{who}' in {_redact(where)}: {held}."
    print(line)
    return line
