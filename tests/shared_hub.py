"""One JupyterHub for the run's hub tests (a pytest plugin: ``pytest_plugins = ["pg",
"shared_hub"]``).

tests/test_hub.py and tests/test_hub_certificates.py each used to start a hub of their own
(the hub, its proxy and the dashboard service: about half a minute of a loaded machine's time
before the first page); they share this one, with the DummyAuthenticator, on a PostgreSQL
database of its own. The tests stay independent: each logs in users of its own (facilitators
fac-a and fac-b, learners amina and bruno in the first; fac-c, chen and dana in the second),
and checks the store for its users and its sessions only. tests/test_hub_lti.py runs its own
hub: it logs in through another authenticator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class SharedHub:
    url: str
    """The hub's address on loopback."""
    store_url: str
    """The PostgreSQL store (the owner's URL) its learners' servers and its service use."""
    folder: Path
    """Its configuration, database and log (hub.log)."""


@pytest.fixture(scope="session")
def shared_hub(postgres, tmp_path_factory) -> Iterator[SharedHub]:
    from test_hub import running_hub

    store_url = postgres.create_database()
    folder = tmp_path_factory.mktemp("hub")
    try:
        with running_hub(folder, store_url) as url:
            yield SharedHub(url=url, store_url=store_url, folder=folder)
    finally:
        postgres.drop_database(store_url)
