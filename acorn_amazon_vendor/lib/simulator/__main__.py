"""Serve the simulator in the foreground (``python -m <package>``, or ``make sandbox``).

Port from ``--port`` or SANDBOX_PORT (default 8765); credentials from SANDBOX_CLIENT_ID,
SANDBOX_CLIENT_SECRET and SANDBOX_REFRESH_TOKEN (defaults: the simulator's demo credentials).
"""
import argparse
import os
import sys

from .server import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_PORT,
    DEFAULT_REFRESH_TOKEN,
    SimulatorServer,
)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Amazon Vendor Central simulator (loopback).")
    parser.add_argument("--port", type=int,
                        default=int(os.environ.get("SANDBOX_PORT") or DEFAULT_PORT))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-throttling", action="store_true",
                        help="answer every request (no 429 QuotaExceeded)")
    args = parser.parse_args(argv)
    server = SimulatorServer(
        host="127.0.0.1", port=args.port,
        client_id=os.environ.get("SANDBOX_CLIENT_ID") or DEFAULT_CLIENT_ID,
        client_secret=os.environ.get("SANDBOX_CLIENT_SECRET") or DEFAULT_CLIENT_SECRET,
        refresh_token=os.environ.get("SANDBOX_REFRESH_TOKEN") or DEFAULT_REFRESH_TOKEN,
        seed=args.seed, throttling=not args.no_throttling)
    server.bind()
    print(f"Amazon Vendor Central simulator on {server.url}", flush=True)
    print(f"  LWA token endpoint: {server.lwa_url}", flush=True)
    print(f"  LWA client id: {server.client_id}", flush=True)
    print(f"  control API: {server.url}/_simulator/health  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr, flush=True)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
