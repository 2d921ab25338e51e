"""Serve the simulator in the foreground (``python -m <package>``, or ``make sandbox``).

Port from ``--port`` or SANDBOX_PORT (default 8765); credentials from SANDBOX_CLIENT_ID,
SANDBOX_CLIENT_SECRET and SANDBOX_REFRESH_TOKEN (defaults: the simulator's demo credentials).
Amazon's EDI partner (edi_partner.py) starts too when the EDI addon is there (``--no-edi``
not to), on free ports unless SANDBOX_EDI_PORT / SANDBOX_EDI_AS2_PORT are set.
"""
import argparse
import faulthandler
import os
import sys

from .server import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_PORT,
    DEFAULT_REFRESH_TOKEN,
    SimulatorServer,
)

# pylint: disable=print-used  # a command-line tool: it talks on stdout and stderr


def main(argv=None):
    parser = argparse.ArgumentParser(description="Amazon Vendor Central simulator (loopback).")
    parser.add_argument("--port", type=int,
                        default=int(os.environ.get("SANDBOX_PORT") or DEFAULT_PORT))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-throttling", action="store_true",
                        help="answer every request (no 429 QuotaExceeded)")
    parser.add_argument("--no-edi", action="store_true",
                        help="do not start Amazon's EDI partner (SFTP, AS2) at boot")
    parser.add_argument("--edi-port", type=int, help="SFTP port of the EDI partner",
                        default=int(os.environ.get("SANDBOX_EDI_PORT") or 0))
    parser.add_argument("--edi-as2-port", type=int, help="AS2 port of the EDI partner",
                        default=int(os.environ.get("SANDBOX_EDI_AS2_PORT") or 0))
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
    try:  # Ctrl-C while Amazon's EDI partner starts stops everything too
        if not args.no_edi:
            _start_edi(server, args.edi_port, args.edi_as2_port)
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr, flush=True)
        # a stop that takes long says where it waits (every thread's stack on stderr)
        faulthandler.dump_traceback_later(8, exit=False)
    finally:
        server.stop()
        faulthandler.cancel_dump_traceback_later()
    return 0


def _start_edi(server, port, as2_port):
    """Amazon's EDI partner beside the API (partners are added by POST /_simulator/edi);
    the simulator serves on without it when the EDI addon is missing."""
    from .edi_partner import EdiPartner
    from .errors import ApiError

    try:
        server.state.edi = EdiPartner(server.state, sftp_port=port, as2_port=as2_port).start()
    except (ApiError, OSError) as exc:
        server.state.edi = None
        print(f"  EDI partner not started: {exc}", flush=True)
        return
    edi = server.state.edi
    print(f"  EDI partner: SFTP {edi.sftp_address} (host key "
          f"{edi.sftp.host_key_fingerprint}), AS2 {edi.as2.url}; partners: POST "
          f"{server.url}/_simulator/edi", flush=True)


if __name__ == "__main__":
    sys.exit(main())
