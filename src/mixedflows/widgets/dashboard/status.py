"""What the dashboard's status line says when the attempt store cannot be read: the cause
named (as a participant's "NOT saved" names it) and what to do."""

from __future__ import annotations

STORE_READ_CAUSES: dict[str, str] = {
    # StoreError.cause: what the facilitator reads, and what to do
    "readonly": "it was made read-only (or immutable) while in use. Make the store's folder "
    "and files writable again; meanwhile each participant's page says whether their attempt "
    "was kept or NOT saved",
    "full": "the disk that holds it is full. Make room on that disk; meanwhile each "
    "participant's page says whether their attempt was kept or NOT saved",
    "locked": "another program holds a lock on it longer than a read waits (a backup, or a "
    "database browser left open?). Close that program",
    "disk_error": "the disk that holds it gave a read or write error. Check that disk",
    "damaged": "it is damaged. Run './mfl store recover' (every readable attempt is copied to "
    "a fresh store); meanwhile each participant's page says whether their attempt is kept",
    "unreachable": "it cannot be reached or opened (its database server down, the network, or "
    "its folder gone). Check MIXEDFLOWS_STORE and the database server",
    "config": "it is not set up correctly (MIXEDFLOWS_STORE). './mfl store check' says what "
    "is wrong",
    "closed": "it was closed on the server. Reload this page",
}


def store_read_problem(e: BaseException, *, starting: bool = False) -> str:
    """The dashboard's line when the store cannot be read: its cause named, as a participant's
    "NOT saved" names it, and what to do; the details (the store's location, the database's
    own words) are in the server's log."""
    cause = getattr(e, "cause", "") or ("damaged" if getattr(e, "kind", "") == "damaged" else "")
    why = STORE_READ_CAUSES.get(cause)
    head = (
        "The dashboard cannot read the attempt store"
        if starting
        else ("Could not read the attempt store")
    )
    then = "Reload this page once it is fixed." if starting else "The dashboard retries by itself."
    if why is None:
        return f"{head} just now. {then} (Details in the server's log.)"
    return f"{head}: {why}. {then} (Details in the server's log.)"
