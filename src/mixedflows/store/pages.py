"""Rows read straight from a SQLite file's pages, for a store SQLite itself cannot walk.

SQLite finds a table's rows from the table's root page down. When that page (or an interior
page under it) is damaged, every row below it is out of SQLite's reach although the leaf pages
that hold them are intact (issue 11, cold trial: a damaged root page made ``./mfl store
recover`` give up on 300 readable attempts). :func:`leaf_rows` reads the file as the file
format describes it (https://www.sqlite.org/fileformat2.html): every page that is a table
leaf, each cell's rowid and record (overflow pages followed), the WAL's committed frames laid
over the file's pages. Nothing is written; a page or a cell that does not parse is skipped
and counted, never guessed at.

This reads any table's leaves; the caller says which records it wants (``accept``): the store's
attempts are the only records with eight or more columns whose first (the rowid alias ``id``)
is NULL.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAGIC = b"SQLite format 3\x00"
TABLE_LEAF = 0x0D
WAL_MAGIC = (0x377F0682, 0x377F0683)


@dataclass
class PageScan:
    """What :func:`leaf_rows` found."""

    rows: dict[int, tuple] = field(default_factory=dict)
    """Accepted records by rowid (the first copy found of each)."""
    leaf_pages: int = 0
    """Table-leaf pages read."""
    bad_cells: int = 0
    """Cells on table-leaf pages that did not parse (a damaged page or overflow chain)."""
    other_records: int = 0
    """Records that parsed but were not accepted (another table's)."""


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    """A SQLite varint at ``buf[i]``: (value, next index)."""
    value = 0
    for k in range(9):
        if i + k >= len(buf):
            raise ValueError("varint past the end")
        b = buf[i + k]
        if k == 8:
            return (value << 8) | b, i + 9
        value = (value << 7) | (b & 0x7F)
        if b < 0x80:
            return value, i + k + 1
    raise AssertionError("unreachable")


def _signed(raw: bytes) -> int:
    return int.from_bytes(raw, "big", signed=True)


def decode_record(payload: bytes, encoding: str = "utf-8") -> tuple:
    """A record (header of serial types, then the values) as a tuple; raises ValueError."""
    header_len, i = _varint(payload, 0)
    if header_len > len(payload) or header_len < 1:
        raise ValueError("record header out of bounds")
    types = []
    while i < header_len:
        t, i = _varint(payload, i)
        types.append(t)
    if i != header_len:
        raise ValueError("record header misaligned")
    values: list[Any] = []
    pos = header_len
    for t in types:
        if t == 0:
            values.append(None)
            continue
        if t in (8, 9):
            values.append(t - 8)
            continue
        if t in (10, 11):
            raise ValueError("reserved serial type")
        size = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8}.get(t) or (t - 12) // 2
        raw = payload[pos : pos + size]
        if len(raw) != size:
            raise ValueError("record value past the end")
        pos += size
        if t <= 6:
            values.append(_signed(raw))
        elif t == 7:
            values.append(struct.unpack(">d", raw)[0])
        elif t % 2 == 0:
            values.append(bytes(raw))
        else:
            values.append(raw.decode(encoding, errors="replace"))
    if pos != len(payload):
        raise ValueError("record length does not match its header")
    return tuple(values)


def _pages(path: Path) -> tuple[dict[int, bytes], int, int, str]:
    """The file's pages (with the WAL's committed frames laid over them), the page size, the
    usable size and the text encoding."""
    data = path.read_bytes()
    page_size, reserved, enc = 4096, 0, 1
    if data[:16] == MAGIC and len(data) >= 100:
        raw = int.from_bytes(data[16:18], "big")
        size = 65536 if raw == 1 else raw
        if size >= 512 and size & (size - 1) == 0:
            page_size = size
        reserved = data[20]
        enc = int.from_bytes(data[56:60], "big") or 1
    pages = {
        n + 1: data[n * page_size : (n + 1) * page_size] for n in range(len(data) // page_size)
    }
    wal = Path(f"{path}-wal")
    if wal.exists():
        pages.update(_wal_pages(wal.read_bytes(), page_size))
    encoding = {1: "utf-8", 2: "utf-16-le", 3: "utf-16-be"}.get(enc, "utf-8")
    return pages, page_size, page_size - reserved, encoding


def _wal_pages(wal: bytes, page_size: int) -> dict[int, bytes]:
    """The pages of the WAL's committed transactions whose frames carry the WAL's salts."""
    if len(wal) < 32 or int.from_bytes(wal[:4], "big") not in WAL_MAGIC:
        return {}
    if int.from_bytes(wal[8:12], "big") != page_size:
        return {}
    salts = wal[16:24]
    done: dict[int, bytes] = {}
    pending: dict[int, bytes] = {}
    pos = 32
    while pos + 24 + page_size <= len(wal):
        head = wal[pos : pos + 24]
        if head[8:16] != salts:
            break
        pending[int.from_bytes(head[:4], "big")] = wal[pos + 24 : pos + 24 + page_size]
        if int.from_bytes(head[4:8], "big"):  # a commit frame: the transaction is whole
            done.update(pending)
            pending = {}
        pos += 24 + page_size
    return done


def _payload(pages: dict[int, bytes], page: bytes, at: int, usable: int) -> tuple[int, bytes]:
    """The rowid and whole payload of the table-leaf cell at ``page[at]``."""
    size, i = _varint(page, at)
    rowid, i = _varint(page, i)
    if rowid >= 1 << 63:
        rowid -= 1 << 64
    x = usable - 35
    if size <= x:
        local = size
    else:
        m = ((usable - 12) * 32 // 255) - 23
        k = m + ((size - m) % (usable - 4))
        local = k if k <= x else m
    body = page[i : i + local]
    if len(body) != local:
        raise ValueError("cell past the end of its page")
    if local == size:
        return rowid, bytes(body)
    parts = [body]
    got = local
    nxt = int.from_bytes(page[i + local : i + local + 4], "big")
    seen = set()
    while got < size:
        if nxt == 0 or nxt in seen or nxt not in pages:
            raise ValueError("broken overflow chain")
        seen.add(nxt)
        over = pages[nxt]
        piece = over[4 : 4 + min(usable - 4, size - got)]
        parts.append(piece)
        got += len(piece)
        nxt = int.from_bytes(over[:4], "big")
    return rowid, b"".join(parts)[:size]


def leaf_rows(path: str | Path, accept: Callable[[tuple], bool]) -> PageScan:
    """Every record on the file's table-leaf pages that ``accept`` takes, by rowid (see the
    module docstring). Raises OSError when the file cannot be read."""
    pages, _size, usable, encoding = _pages(Path(path))
    scan = PageScan()
    for number in sorted(pages):
        page = pages[number]
        head = 100 if number == 1 else 0
        if len(page) < head + 8 or page[head] != TABLE_LEAF:
            continue
        cells = int.from_bytes(page[head + 3 : head + 5], "big")
        if cells * 2 + head + 8 > len(page):
            scan.bad_cells += 1
            continue
        scan.leaf_pages += 1
        for c in range(cells):
            ptr = head + 8 + 2 * c
            at = int.from_bytes(page[ptr : ptr + 2], "big")
            try:
                if not head + 8 <= at < len(page):
                    raise ValueError("cell pointer out of its page")
                rowid, payload = _payload(pages, page, at, usable)
                record = decode_record(payload, encoding)
            except (ValueError, struct.error):
                scan.bad_cells += 1
                continue
            if not accept(record):
                scan.other_records += 1
                continue
            scan.rows.setdefault(rowid, record)
    return scan


__all__ = ["PageScan", "decode_record", "leaf_rows"]
