"""``storyweave serve``: its command-line options and running the app under uvicorn."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from storyweave.server.config import DEFAULT_HOST, DEFAULT_PORT, TOKEN_ENV, ConfigError, is_loopback
from storyweave.store import StoreError

EXIT_OK, EXIT_USAGE, EXIT_FAILED = 0, 2, 3


def add_serve_parser(sub: Any, default_db: str) -> argparse.ArgumentParser:
    """Register the ``serve`` sub-command on an argparse sub-parsers object."""
    serve: argparse.ArgumentParser = sub.add_parser(
        "serve",
        help="serve a store over HTTP: web UI and API",
        description="Serve a store's stories, briefs and articles as a web UI (/) and an HTTP API (/api, "
        "reference at /api/docs), and take in new articles by upload or URL. Binds to 127.0.0.1 unless "
        "told otherwise; any other address needs a token, checked on every request.",
    )
    serve.add_argument(
        "--db", type=Path, default=Path(default_db), help=f"the store file (default ./{default_db})"
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default %(default)s)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default %(default)s)")
    serve.add_argument(
        "--token",
        help=f"require this token (default: the {TOKEN_ENV} environment variable; the environment "
        "keeps it out of the process list). Clients send 'Authorization: Bearer TOKEN'; a browser "
        "opens any page once with ?token=TOKEN",
    )
    serve.add_argument(
        "--outlets",
        type=Path,
        metavar="FILE",
        help="outlet table (CSV or TOML: name, domains, lean, country, owner) for articles added here",
    )
    serve.add_argument("-q", "--quiet", action="store_true", help="no access log")
    return serve


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the server until interrupted."""
    import uvicorn

    from storyweave.outlets import OutletTable, OutletTableError
    from storyweave.server.app import create_app

    token = args.token if args.token is not None else os.environ.get(TOKEN_ENV) or None
    if not 0 < args.port < 65536:
        print(f"storyweave: error: --port must be 1-65535, not {args.port}", file=sys.stderr)
        return EXIT_USAGE
    try:
        outlets = OutletTable.load(args.outlets) if args.outlets else None
        app = create_app(args.db, token, bind_host=args.host, outlets=outlets)
    except (ConfigError, OutletTableError) as err:
        print(f"storyweave: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as err:
        print(f"storyweave: error: {err}", file=sys.stderr)
        return EXIT_FAILED
    shown = f"[{args.host}]" if ":" in args.host else args.host
    guard = "token required" if token else "no token: loopback only"
    print(f"storyweave: serving {args.db} at http://{shown}:{args.port}/ ({guard})", file=sys.stderr)
    if not is_loopback(args.host):
        print(
            "storyweave: note: plain HTTP; put a TLS proxy in front when the network is not trusted",
            file=sys.stderr,
        )
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning" if args.quiet else "info",
        access_log=not args.quiet,
        server_header=False,
        proxy_headers=False,
    )
    return EXIT_OK
