"""Reading kernel messages as they cross the websocket, without trusting their framing.

A binary kernel message starts with a count and a table of offsets. Voila 0.5 and jupyter_server
read the count and loop that many times before looking at anything else, on the server's one IO
loop: a 24-byte message claiming 40 million parts froze every request for seconds, and a count
near 2**63 until memory ran out (issue 11). :func:`binary_parts` checks the count against the
message's own length *before* any loop, so a bad frame costs a few comparisons.

Two framings exist: the v1 kernel websocket protocol (``v1.kernel.websocket.jupyter.org``, what
Voila's page speaks; 8-byte little-endian count and offsets, the count including the end offset)
and the legacy one (4-byte big-endian count and offsets of the buffers, the first buffer the
JSON message).
"""

from __future__ import annotations

import itertools
import json
import struct
from typing import Any

V1 = "v1.kernel.websocket.jupyter.org"
"""The v1 kernel websocket subprotocol."""

MAX_PARTS = 64
"""Most parts a message from a page may have (channel, header, parent header, metadata, content,
and binary buffers). Widgets send a handful; anything beyond is refused."""


class BadMessageError(ValueError):
    """A websocket message whose framing is inconsistent with its length."""


def binary_parts(msg: bytes, subprotocol: str | None) -> list[bytes]:
    """The parts of a binary kernel message, after checking its framing against its length.

    v1: ``[channel, header, parent_header, metadata, content, *buffers]``; legacy:
    ``[json_message, *buffers]``. Raises :class:`BadMessageError` (before any loop over the count)
    when the count is out of bounds or an offset points outside the message.
    """
    size = len(msg)
    if subprotocol == V1:
        if size < 8:
            raise BadMessageError(f"{size} bytes: too short for a v1 kernel message")
        count = int.from_bytes(msg[:8], "little")
        # Every offset takes 8 bytes after the count: the count cannot exceed what the message
        # holds, whatever its first 8 bytes claim.
        if not 3 <= count <= MAX_PARTS + 1 or 8 * (count + 1) > size:
            raise BadMessageError(f"a v1 message of {size} bytes claims {count} offsets")
        offsets = [int.from_bytes(msg[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
        first = 8 * (count + 1)
    else:
        if size < 4:
            raise BadMessageError(f"{size} bytes: too short for a binary kernel message")
        count = struct.unpack("!I", msg[:4])[0]
        if not 1 <= count <= MAX_PARTS or 4 * (count + 1) > size:
            raise BadMessageError(f"a binary message of {size} bytes claims {count} buffers")
        offsets = [*struct.unpack(f"!{count}I", msg[4 : 4 * (count + 1)]), size]
        first = 4 * (count + 1)
    if offsets[0] < first or any(b < a for a, b in itertools.pairwise(offsets)):
        raise BadMessageError("offsets out of order or inside the offset table")
    if offsets[-1] > size:
        raise BadMessageError(f"an offset ({offsets[-1]}) beyond the message's {size} bytes")
    return [msg[a:b] for a, b in itertools.pairwise(offsets)]


def _json(part: bytes) -> Any:
    try:
        return json.loads(part.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise BadMessageError(f"a part is not JSON: {e}") from None


def header_of(msg: bytes | str, subprotocol: str | None) -> dict:
    """The header of a message from a page (text or binary), checked as above."""
    if isinstance(msg, str):
        data = _json(msg.encode("utf-8"))
        header = data.get("header") if isinstance(data, dict) else None
    elif subprotocol == V1:
        header = _json(binary_parts(msg, subprotocol)[1])
    else:
        data = _json(binary_parts(msg, subprotocol)[0])
        header = data.get("header") if isinstance(data, dict) else None
    if not isinstance(header, dict):
        raise BadMessageError("no header")
    return header


def type_and_content(msg: bytes | str | dict, subprotocol: str | None) -> tuple[str, Any]:
    """``(msg_type, content)`` of a message from a kernel on its way to a page. The content is
    decoded only for the few types the server looks into (stream and error), so the widget
    traffic is not parsed twice."""
    if isinstance(msg, dict):
        return str((msg.get("header") or {}).get("msg_type", "")), msg.get("content")
    if isinstance(msg, str):
        data = _json(msg.encode("utf-8"))
        return str((data.get("header") or {}).get("msg_type", "")), data.get("content")
    if subprotocol == V1:
        parts = binary_parts(msg, subprotocol)
        msg_type = str(_json(parts[1]).get("msg_type", ""))
        wanted = msg_type in ("stream", "error") and len(parts) > 4
        return msg_type, (_json(parts[4]) if wanted else None)
    data = _json(binary_parts(msg, subprotocol)[0])
    return str((data.get("header") or {}).get("msg_type", "")), data.get("content")
