"""Seats in a facilitated session: a pseudonym belongs to the browser that first joined with it.

A facilitated session has no login: a participant types a pseudonym on the join page. Without
seats, anyone typing another participant's pseudonym took their place (their answers, and in
module 10's room their role). So when a pseudonym first joins a session, the server gives that
browser a **seat secret** (a random token in an httponly cookie named for the session, see
:func:`cookie_name`) and keeps only its SHA-256 here; a later join or app page with the same
pseudonym from a browser without that secret is refused with :data:`TAKEN`. The participant
reconnecting from the same browser keeps their seat; the facilitator can release a seat from
the dashboard (:func:`release`), after which the next browser to join with it takes it.

The seats are session state, kept in ``$MIXEDFLOWS_SEATS`` (a JSON file the course's Voila
server puts in the session's folder; its kernels, the dashboard's included, inherit the
variable). Without the variable there are no seats (a self-paced server, a JupyterHub: there
the hub's login says who is who). Writes hold an exclusive lock and replace the file whole, so
the server and the dashboard's kernel can share it.

Seats belong to the store (issue 15): a seat says "this pseudonym's work in this store is this
browser's", so a seats file is kept only with the store it was made with. When the server
starts (:func:`follow_store`), the identity of the store (a random id kept in its ``meta``
table) is compared with the one written beside the seats file; another store (a new, empty
one, say) starts with no seats, the old ones set aside as ``seats.json.<time>.old``. A room can
then reuse a fixed code (``--session M10``) with a new store next week; with the same store, a
participant returning from the same browser keeps their seat and nobody else can take it (the
facilitator releases a seat from the dashboard).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ENV = "MIXEDFLOWS_SEATS"
TAKEN = (
    "This name is already in use in this session; pick another, or ask the facilitator to "
    "release it."
)

NOT_VISIBLE = "has no character one can see (only spaces or invisible characters)"
ALLOWED = "letters, digits, spaces and the signs . @ - _, at most 40 characters"
"""What a pseudonym keeps of what was typed (:func:`mixedflows.store.clean_pseudonym`)."""
"""Why a pseudonym is refused when :func:`visible` says it draws nothing."""


class SeatsError(RuntimeError):
    """The seats file cannot be read or written."""


def location() -> Path | None:
    where = os.environ.get(ENV, "")
    return Path(where) if where else None


def cookie_name(session: str) -> str:
    """The seat cookie of one session (ASCII whatever the session code)."""
    return "mf_seat_" + hashlib.sha256(session.encode("utf-8")).hexdigest()[:16]


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[dict[str, Any]]:
    """The seats, read under an exclusive lock; written back (whole, atomically) on exit."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = path.with_name(path.name + ".lock").open("a")
    except OSError as e:
        raise SeatsError(f"the seats file {path} cannot be opened: {e}") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = _read(path)
        before = json.dumps(data, sort_keys=True)
        yield data
        if json.dumps(data, sort_keys=True) != before:
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            try:
                tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
                os.replace(tmp, path)
            except OSError as e:
                raise SeatsError(f"the seats file {path} cannot be written: {e}") from None


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        raise SeatsError(f"the seats file {path} cannot be read: {e}") from None
    return data if isinstance(data, dict) else {}


_LOOKALIKE = str.maketrans(
    # Cyrillic and Greek letters that look like Latin ones (after casefolding).
    "аеорсухіјѕԁӏһкмнтвαορνκιτυχεηβμζγ",
    "aeopcyxijsdlhkmhtbaopvkituxenbmzy",
)


_INVISIBLE = frozenset(
    [
        *(0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFEFF, 0xFFA0),
        *range(0x180B, 0x1810),
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2070),
        *range(0xFE00, 0xFE10),
        *range(0xFFF0, 0xFFF9),
        *range(0x1BCA0, 0x1BCA4),
        *range(0x1D173, 0x1D17B),
    ]
)
"""Unicode's default-ignorable code points (DerivedCoreProperties.txt, outside the tag and
variation-selector supplement planes, tested by range below) and the braille blank: characters
that draw nothing, although some are letters (the Hangul fillers: U+FFA0 ``ﾠ``)."""


def _ignorable(ch: str) -> bool:
    """A character that draws nothing by itself: default-ignorable, control or format."""
    import unicodedata

    code = ord(ch)
    return code in _INVISIBLE or 0xE0000 <= code <= 0xE0FFF or unicodedata.category(ch)[0] == "C"


def visible(pseudonym: str) -> bool:
    """Whether a pseudonym has a character one can see: a name of spaces, format characters,
    lone combining marks or fillers (``learner=ﾠ``, U+FFA0) is nobody the room can tell apart,
    and got a seat (issue 11, third cold trial)."""
    import unicodedata

    return any(
        not _ignorable(ch) and unicodedata.category(ch)[0] not in "ZM"
        for ch in unicodedata.normalize("NFKC", pseudonym)
    )


def seat_key(pseudonym: str) -> str:
    """What makes two pseudonyms one seat: NFKC, casefolded, without whitespace, Cyrillic and
    Greek look-alikes read as Latin ("Alice", "alice", "ALICE", "A lice" and a Cyrillic "Аlice"
    are one person to the room, so one seat)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", pseudonym).casefold()
    text = "".join(ch for ch in text if not _ignorable(ch))  # "ali\u200bce" is "alice"
    return "".join(text.split()).translate(_LOOKALIKE)


def claim(session: str, pseudonym: str, secret: str, path: Path | None = None) -> bool:
    """Take ``pseudonym``'s seat in ``session`` for the browser holding ``secret``: True if the
    seat was free (it is now this browser's) or is this browser's already; False if another
    browser holds it. Without a seats file (no ``$MIXEDFLOWS_SEATS``) every claim succeeds."""
    path = path or location()
    if path is None:
        return True
    with _locked(path) as data:
        seats = data.setdefault(session, {})
        key, mine = seat_key(pseudonym), _digest(secret)
        for name, other in seats.items():  # a look-alike of another browser's seat: refused
            if (
                name != pseudonym
                and seat_key(name) == key
                and isinstance(other, dict)
                and not hmac.compare_digest(str(other.get("secret_sha256", "")), mine)
            ):
                return False
        seat = seats.get(pseudonym)
        if isinstance(seat, dict) and isinstance(seat.get("secret_sha256"), str):
            return hmac.compare_digest(seat["secret_sha256"], _digest(secret))
        seats[pseudonym] = {
            "secret_sha256": _digest(secret),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        return True


def release(session: str, pseudonym: str, path: Path | None = None) -> bool:
    """Free a seat (the facilitator's action): True if it was held."""
    path = path or location()
    if path is None:
        return False
    with _locked(path) as data:
        seats = data.get(session) or {}
        held = seats.pop(pseudonym, None) is not None
        if not seats:
            data.pop(session, None)
        return held


STORE_ID_KEY = "seats:store-id"
"""The store's ``meta`` key of the random id the seats files beside it are bound to."""


def store_identity(store: Any) -> str:
    """The store's identity for seats: a random id kept in its ``meta`` table (made once)."""
    return store.add_meta(STORE_ID_KEY, secrets.token_hex(16))


def follow_store(path: Path, identity: str) -> bool:
    """Keep the seats at ``path`` only if they were made with the store ``identity`` (written
    in ``<path>.store``); else set them aside and start with none. True if seats were set
    aside."""
    mark = path.with_name(path.name + ".store")
    try:
        known = mark.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        known = ""
    except OSError as e:
        raise SeatsError(f"the seats' store mark {mark} cannot be read: {e}") from None
    if known == identity:
        return False
    aside = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            os.replace(path, path.with_name(f"{path.name}.{stamp}.old"))
            aside = True
        mark.write_text(identity + "\n", encoding="utf-8")
    except OSError as e:
        raise SeatsError(f"the seats file {path} cannot be set aside: {e}") from None
    return aside


def held(session: str, path: Path | None = None) -> list[tuple[str, str]]:
    """The seats held in ``session``: (pseudonym, since when), by pseudonym."""
    path = path or location()
    if path is None:
        return []
    seats = _read(path).get(session) or {}
    return sorted((p, str(s.get("since", ""))) for p, s in seats.items() if isinstance(s, dict))
