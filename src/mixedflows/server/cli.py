"""``mixedflows``: start the course (JupyterLab) or a facilitated session (Voila)."""

from __future__ import annotations

import argparse
import sys

from mixedflows.server import serve


def parser() -> argparse.ArgumentParser:
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
    fac.add_argument("--session", default=None, help="session code (default: a random one)")
    fac.add_argument(
        "--participants",
        type=int,
        default=0,
        help="preheat this many kernels of each session app before the room "
        "arrives (about 80 MB each)",
    )
    fac.add_argument(
        "--apps",
        default="who_is_in_the_boat.ipynb",
        help="comma-separated apps in widgets/ to preheat for the session",
    )
    fac.add_argument(
        "--max-kernels",
        type=int,
        default=0,
        help="cap on live kernels, participants' and preheated ones together; in a full room "
        "a preheated kernel nobody opened makes way for a participant, and past the cap with "
        "participants' kernels alone a newcomer gets 'please wait' (default: participants + 20, "
        "at least 40)",
    )
    fac.add_argument(
        "--cull-idle",
        type=int,
        default=600,
        help="seconds after which an idle kernel (a closed tab) is shut down",
    )
    fac.add_argument(
        "--cull-unconnected",
        type=int,
        default=45,
        help="seconds after which a kernel whose page was sent but never connected to it "
        "(a link fetched without a browser) is shut down",
    )
    exp = sub.add_parser(
        "export", help="write a session's grades (CSV for an LMS) and participant summaries"
    )
    exp.add_argument("--session", default=None, help="session code (default: every session)")
    exp.add_argument("--out", default=".", help="folder to write the two files into")
    exp.add_argument("--store", default=None, help="store location (default: MIXEDFLOWS_STORE)")
    st = sub.add_parser("store", help="check the attempt store, or recover a damaged one")
    st.add_argument(
        "action",
        choices=("check", "recover", "import", "grant-learner-role"),
        help="check: can it be read and written, is it sound (and send attempts kept on this "
        "computer to it); recover: copy every readable attempt of a SQLite store to a fresh "
        "one; import: add the attempts an older version kept in a file (FILE); "
        "grant-learner-role: set up the narrower role for learners' servers in a PostgreSQL "
        "store (with the owner's URL; run again after each upgrade)",
    )
    st.add_argument(
        "file",
        nargs="?",
        default=None,
        help="import: the file (default: ~/mixedflows-unsaved-attempts.jsonl)",
    )
    st.add_argument("--store", default=None, help="store location (default: MIXEDFLOWS_STORE)")
    st.add_argument(
        "--out",
        default=None,
        help="recover: write the fresh store here and leave the old one as it is "
        "(default: the fresh store takes the old one's place, which is kept beside it)",
    )
    cert = sub.add_parser(
        "certificate", help="verify a learner's certificate code against the attempt store"
    )
    cert.add_argument("action", choices=("verify",), help="verify: check a code")
    cert.add_argument("code", help="the verification code printed on the certificate")
    cert.add_argument("--store", default=None, help="store location (default: MIXEDFLOWS_STORE)")
    return ap


def certificate_command(args: argparse.Namespace) -> int:
    """``./mfl certificate verify CODE``: valid (0) or refused with the reason (1)."""
    from mixedflows import certificate
    from mixedflows.store import Store, StoreError

    try:
        with Store(args.store) as store:
            result = certificate.verify(store, args.code)
    except StoreError as e:
        print(f"Cannot verify: {e}", file=sys.stderr)
        return 2
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


def store_command(args: argparse.Namespace) -> int:
    """``./mfl store check`` / ``./mfl store recover``: a message, never a traceback."""
    from mixedflows.store import StoreError, health

    if args.action == "check":
        report = health.check(args.store)
        print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
        return 0 if report.ok else 1
    try:
        if args.action == "grant-learner-role":
            from mixedflows.store import default_location, roles

            for line in roles.grant_learner_role(args.store or default_location()):
                print(line)
        elif args.action == "import":
            added, bad = health.import_unsaved(args.file, args.store)
            print(f"{added} attempt(s) now in the store; {bad} unreadable line(s) skipped")
        else:
            print(health.recover(args.store, out=args.out).summary())
    except StoreError as e:
        print(f"Nothing done: {e}", file=sys.stderr)
        return 1
    return 0


def export(args: argparse.Namespace) -> int:
    """The dashboard's two downloads, written from the command line (after a session)."""
    from pathlib import Path

    from mixedflows import facilitator as fac
    from mixedflows.store import StoreError
    from mixedflows.store.health import read_attempts

    try:  # from a damaged store: what can still be read, said so
        attempts, note = read_attempts(args.store, session=args.session)
    except StoreError as e:
        print(f"Nothing exported: {e}", file=sys.stderr)
        return 1
    if note:
        print(note, file=sys.stderr)
    left_out = len(attempts) - len(attempts := fac.counted(attempts))
    if left_out:
        print(
            f"{left_out} attempt(s) imported from progress files left out: they do not count "
            "in grades.",
            file=sys.stderr,
        )
    if not attempts:
        where = f"session {args.session!r}" if args.session else "the store"
        print(f"No attempts in {where}: nothing written.", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = fac.session_export(attempts, args.session, prefix="")
    grades, summary = out / files.grades_name, out / files.summary_name
    grades.write_text(files.grades, encoding="utf-8", newline="")
    summary.write_text(files.summary, encoding="utf-8")
    people = len({a.learner for a in attempts})
    print(f"{len(attempts)} attempt(s) of {people} participant(s):\n  {grades}\n  {summary}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if (args.command or "lab") == "lab":
            from mixedflows.charts.offline import warm_cache

            warm_cache()  # the offline chart bundle, built once for every later kernel
            serve.trust_course_notebooks()  # Open buttons and app previews run unasked
            cmd, url = serve.lab_command(
                ip=getattr(args, "ip", "127.0.0.1"),
                port=getattr(args, "port", 8888),
                open_browser=getattr(args, "browser", False),
            )
            print(
                f"\nMixed Flows Lab: open {url}\n"
                f"On a phone or a small tablet: {serve.small_screen_url(url)}\n"
                "(Ctrl-C to stop)\n",
                flush=True,
            )
            return serve.run_server(cmd, env=serve.environment())
        if args.command == "export":
            return export(args)
        if args.command == "store":
            return store_command(args)
        if args.command == "certificate":
            return certificate_command(args)
        return facilitate(args)
    except KeyboardInterrupt:
        return 0


def session_for(args: argparse.Namespace) -> tuple[serve.ClassSession, str]:
    """The session ``./mfl facilitate`` serves for these arguments: its apps, its cap (default
    the participants plus 20, at least 40) and how many kernels of each app it preheats (the
    participants, or fewer so that the pools together fit in the cap); and what to tell the
    facilitator about it ('' when nothing)."""
    session = serve.ClassSession(
        apps=tuple(a.strip() for a in args.apps.split(",") if a.strip()),
        pool=max(args.participants, 0),
        max_kernels=args.max_kernels or max(40, args.participants + 20),
        unconnected_cull=max(args.cull_unconnected, 5),
    )
    if args.session:
        session.code = args.session
    note = ""
    most = session.max_kernels // max(len(session.apps), 1)
    if session.pool > most:
        note = (
            f"Preheating {most} kernel(s) per app, not {session.pool}: the session's "
            f"{len(session.apps)} app(s) share a cap of {session.max_kernels} live kernels. "
            "Participants come first: in a full room, a preheated kernel nobody has opened "
            "makes way for a participant's page."
        )
        session.pool = most
    return session, note


def facilitate(args: argparse.Namespace) -> int:
    session, note = session_for(args)
    print("Checking the attempt store and the course files...", flush=True)
    problems = serve.preflight(session.apps)
    if problems:
        print(
            "\nThe session is not started: fix these first (nothing was changed).\n"
            + "\n".join(f"- {p}" for p in problems)
            + "\n\n'./mfl store check' says more about the store.",
            file=sys.stderr,
        )
        return 2
    if note:
        print(note)
    from mixedflows.charts.offline import warm_cache

    warm_cache()  # build the offline chart bundle once, not in every participant's kernel
    folder = serve.session_dir(session.code)
    session.write_config(folder)
    opts = serve.VoilaOptions(
        ip=args.ip, port=args.port, culling=serve.Culling(idle_timeout=args.cull_idle)
    )
    host = "127.0.0.1" if args.ip in ("0.0.0.0", "") else args.ip
    if not serve.wait_for_port(args.ip, args.port):
        print(
            f"\nThe session is not started: port {args.port} is in use (another session or "
            f"program still running?). Stop it, or choose another port with --port.",
            file=sys.stderr,
        )
        return 2
    links = session.links(host, args.port)

    def banner() -> None:  # once the server answers: a link printed earlier was refused
        print(
            f"\nMixed Flows Lab session {session.code}\n"
            f"  participants join at: {links['participants']}\n"
            f"  facilitator dashboard (keep this link to yourself): {links['dashboard']}\n"
            f"  all apps: http://{host}:{args.port}/\n"
            f"  {session.pool} kernel(s) preheated per session app; at most "
            f"{session.max_kernels} live kernels\n(Ctrl-C to stop)\n",
            flush=True,
        )

    print("Starting the server: the links follow as soon as it answers...", flush=True)
    return serve.run_server(
        serve.voila_command(opts),
        env=serve.environment(session.env()),
        cwd=folder,
        when_answering=(f"http://{host}:{args.port}/", banner),
    )


if __name__ == "__main__":
    sys.exit(main())
