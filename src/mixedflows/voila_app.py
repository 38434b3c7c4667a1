"""The Voila server the course runs: Voila 0.5 with the fix for closed tabs' kernels.

Voila 0.5's page sends a kernel-shutdown beacon when a tab closes, but without the ``_xsrf``
token, so jupyter_server refuses it (voila issue 1458) and kernels pile up at about 250 MB
each. Two parts fix it while keeping XSRF protection on:

1. the page handler below sets the ``_xsrf`` cookie when it serves an app (tornado sets it the
   first time the token is read);
2. the ``mixedflows`` template wraps ``navigator.sendBeacon`` so the shutdown beacon carries
   that cookie's value as the ``_xsrf`` form field, which tornado's check accepts.

Run as ``python -m mixedflows.voila_app NOTEBOOK_DIR [voila options]``.
"""

from __future__ import annotations

from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler


class XsrfVoilaHandler(TornadoVoilaHandler):
    async def get(self, path=None):
        _ = self.xsrf_token  # sets the _xsrf cookie that the shutdown beacon sends back
        await super().get(path=path)


class MixedFlowsVoila(Voila):
    """Voila with :class:`XsrfVoilaHandler` serving the apps."""

    def init_handlers(self) -> list:
        return [
            (h[0], XsrfVoilaHandler, *h[2:]) if h[1] is TornadoVoilaHandler else h
            for h in super().init_handlers()
        ]


main = MixedFlowsVoila.launch_instance

if __name__ == "__main__":
    main()
