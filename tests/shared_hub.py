"""One JupyterHub for the run's hub tests (a pytest plugin: ``pytest_plugins = ["pg",
"shared_hub"]``).

tests/test_hub.py, tests/test_hub_certificates.py and tests/test_hub_lti.py each used to start a
hub of their own (the hub, its proxy and the dashboard service: about half a minute of a loaded
machine's time before the first page); they share this one, on a PostgreSQL database of its
own. It logs everyone in as the values file's hub does: an LTI 1.3 launch, here from the test
platform of tests/test_hub_lti.py (``Platform.launch_as``: a launch whose ``sub`` is the user's
name). The tests stay independent: each has users of its own (facilitators fac-a and fac-b,
learners amina and bruno in the first; fac-c, chen and dana in the second; the LMS learner and
the rogue launch in the third), and checks the store and the hub for its own only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass
class SharedHub:
    url: str
    """The hub's address on loopback."""
    store_url: str
    """The PostgreSQL store (the owner's URL) its learners' servers and its service use."""
    folder: Path
    """Its configuration, database (hub.sqlite) and log (hub.log)."""
    platform: Any
    """The LTI platform its users launch from (tests/test_hub_lti.py's ``Platform``)."""


@pytest.fixture(scope="session")
def shared_hub(postgres, tmp_path_factory) -> Iterator[SharedHub]:
    from test_hub import running_hub
    from test_hub_lti import Platform, lti_auth

    store_url = postgres.create_database()
    folder = tmp_path_factory.mktemp("hub")
    try:
        with Platform() as platform, running_hub(folder, store_url, lti_auth(platform)) as url:
            platform.hub = url
            yield SharedHub(url=url, store_url=store_url, folder=folder, platform=platform)
    finally:
        postgres.drop_database(store_url)
