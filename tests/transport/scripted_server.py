"""A loopback HTTP server that answers from a script and records what it received.

Used to test the transport's handling of replies the simulator is too well-behaved to send
(non-JSON errors, missing envelopes, exact retry sequences).
"""
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = {"access_token": "Atza|scripted-access-token", "token_type": "bearer",
         "expires_in": 3600, "refresh_token": "Atzr|x"}


class ScriptedServer:
    def __init__(self):
        self.script = {}  # path -> list of (status, body, headers, delay)
        self.requests = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urllib.parse.urlsplit(self.path)
                with server.lock:
                    server.requests.append({
                        "method": self.command, "path": parts.path,
                        "query": urllib.parse.parse_qs(parts.query),
                        "headers": dict(self.headers), "body": body})
                    queue = server.script.get(parts.path) or []
                    reply = queue.pop(0) if len(queue) > 1 else (queue[0] if queue else None)
                if reply is None:
                    reply = (200, TOKEN, {}, 0) if parts.path == "/auth/o2/token" else \
                        (404, {"errors": [{"code": "NotFound", "message": "no script"}]}, {}, 0)
                status, payload, headers, delay = reply
                if delay:
                    time.sleep(delay)
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", headers.pop("content-type", "application/json"))
                self.send_header("x-amzn-RequestId", f"req-{len(server.requests)}")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def on(self, path, *replies):
        """Queue replies for ``path``: (status, body[, headers[, delay]]); the last repeats."""
        self.script[path] = [tuple(r) + ({}, 0)[len(r) - 2:] for r in replies]

    def received(self, path):
        return [r for r in self.requests if r["path"] == path]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
