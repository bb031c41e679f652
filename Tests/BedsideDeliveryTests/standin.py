#!/usr/bin/env python3
"""A stand-in for Meta, Slack and a generic webhook receiver, for Bedside's delivery tests.

Listens on 127.0.0.1 (a free port, written to --port-file) and answers by a JSON script:

    {"routes": {"/hook": [{"status": 500}, {"status": 200, "body": "ok"}]},
     "default": {"status": 200, "body": "{}"},
     "webhook_secret": "whsec_..."}

Each route (matched by path prefix, longest first) answers its list in order, then repeats the last
item. An item may set "delay" (seconds before answering). Every request is logged as one JSON line to
--log the moment it arrives: time, method, path, headers (lower-case), body, the key
(webhook-id or Idempotency-Key), whether that key had already been answered with 2xx (the stand-in
deduplicates: a repeat is answered 200 without acting again), and, when webhook_secret is set, whether
the standardwebhooks package verified the signature. Stops on SIGTERM, or by itself after --lifetime.
"""
import argparse
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--script", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--port-file", required=True)
parser.add_argument("--lifetime", type=float, default=300)
args = parser.parse_args()

with open(args.script) as f:
    script = json.load(f)
routes = script.get("routes", {})
default = script.get("default", {"status": 200, "body": "{}"})
secret = script.get("webhook_secret")
verifier = None
if secret:
    from standardwebhooks.webhooks import Webhook
    verifier = Webhook(secret)

lock = threading.Lock()
counters = {}
answered = set()
log = open(args.log, "a", buffering=1)


def pick(path):
    for prefix in sorted(routes, key=len, reverse=True):
        if path.startswith(prefix):
            plan = routes[prefix]
            with lock:
                n = counters.get(prefix, 0)
                counters[prefix] = n + 1
            return plan[min(n, len(plan) - 1)]
    return default


class Handler(BaseHTTPRequestHandler):
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        self.handle_request()

    def do_POST(self):
        self.handle_request()

    def handle_request(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        key = headers.get("webhook-id") or headers.get("idempotency-key")
        entry = {"time": time.time(), "method": self.command, "path": self.path, "headers": headers,
                 "body": body.decode("utf-8", "replace"), "key": key}
        if verifier is not None:
            try:
                verifier.verify(body, {"webhook-id": headers.get("webhook-id", ""),
                                       "webhook-timestamp": headers.get("webhook-timestamp", ""),
                                       "webhook-signature": headers.get("webhook-signature", "")})
                entry["verified"] = True
            except Exception as e:  # noqa: BLE001 - the test reads the outcome
                entry["verified"] = False
                entry["verifyError"] = str(e)
        plan = pick(self.path)
        with lock:
            duplicate = key is not None and key in answered
        entry["duplicate"] = duplicate
        status = 200 if duplicate else int(plan.get("status", 200))
        entry["status"] = status
        with lock:
            log.write(json.dumps(entry) + "\n")
            log.flush()
        delay = 0 if duplicate else float(plan.get("delay", 0))
        if delay:
            time.sleep(delay)
        if 200 <= status < 300 and key is not None:
            with lock:
                answered.add(key)
        payload = (plan.get("body", "{}") if not duplicate else "{}").encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402
os.replace(args.port_file + ".tmp", args.port_file)


# A parent may have spawned us with SIGTERM blocked; take it back.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})


def stop(*_):
    threading.Thread(target=server.shutdown, daemon=True).start()


signal.signal(signal.SIGTERM, stop)
timer = threading.Timer(args.lifetime, stop)
timer.daemon = True
timer.start()
server.serve_forever()
log.close()
sys.exit(0)
