"""``mixedflows``: start the course (JupyterLab) or a facilitator session (Voila)."""

from __future__ import annotations

import argparse
import subprocess
import sys

from mixedflows import serve


def _run(cmd: list[str], env: dict[str, str]) -> int:
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="mixedflows", description=__doc__)
    sub = ap.add_subparsers(dest="command")
    lab = sub.add_parser("lab", help="start JupyterLab on the course's start page (default)")
    lab.add_argument("--ip", default="127.0.0.1", help="address to listen on")
    lab.add_argument("--port", type=int, default=8888, help="port to listen on")
    lab.add_argument("--browser", action="store_true", help="open a web browser")
    fac = sub.add_parser("facilitate", help="serve the apps in widgets/ with Voila for a class")
    fac.add_argument(
        "--ip",
        default="127.0.0.1",
        help="address to listen on (0.0.0.0 to let a room join over the LAN)",
    )
    fac.add_argument("--port", type=int, default=8866, help="port to listen on")
    fac.add_argument(
        "--cull-idle",
        type=int,
        default=600,
        help="seconds after which an idle kernel (a closed tab) is shut down",
    )
    args = ap.parse_args(argv)
    command = args.command or "lab"
    if command == "lab":
        cmd, url = serve.lab_command(
            ip=getattr(args, "ip", "127.0.0.1"),
            port=getattr(args, "port", 8888),
            open_browser=getattr(args, "browser", False),
        )
        print(f"\nMixed Flows Lab: open {url}\n(Ctrl-C to stop)\n", flush=True)
        return _run(cmd, serve.environment())
    opts = serve.VoilaOptions(
        ip=args.ip, port=args.port, culling=serve.Culling(idle_timeout=args.cull_idle)
    )
    host = "127.0.0.1" if args.ip in ("0.0.0.0", "") else args.ip
    print(
        f"\nMixed Flows Lab apps: open http://{host}:{args.port}/\n(Ctrl-C to stop)\n", flush=True
    )
    return _run(serve.voila_command(opts), serve.environment())


if __name__ == "__main__":
    sys.exit(main())
