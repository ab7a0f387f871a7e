#!/usr/bin/env python3
"""`make serve`: the release bundle at /ui/ with /v1/ proxied to a real Consul.

Renders index.html the way a Consul agent renders a custom UI (ContentPath and the settings block),
so the console behaves exactly as it would from ui_config.dir. The operator's ACL token is entered
in the UI and passed through; this proxy never adds one. Standard library only.

Safety: only requests addressed to this server (Host, and Origin when sent) are answered, so a web
page on another name that resolves to this address (DNS rebinding) cannot drive Consul through
it; request bodies need a valid Content-Length; the console gets a strict Content-Security-Policy
(the same as deploy/nginx) and may not be framed.
"""
import argparse
import http.client
import http.server
import json
import mimetypes
import os
import re
import sys
import urllib.parse

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "proxy-authorization", "host"}
# What the console needs and no more: no inline script or style, wasm compiled from its own origin.
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
UI_HEADERS = [
    ("Content-Security-Policy", CSP),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
]
# Trunk's hashed file names (name-<up to 16 hex digits: a u64 without leading zeros>.ext, …_bg.wasm): cache a year.
HASHED = re.compile(r"-[0-9a-f]{1,16}(_bg)?\.(js|wasm|css|wasm\.gz)$")
MAX_BODY = 64 * 1024 * 1024  # far above any Consul request the console makes


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--consul", default="")
    p.add_argument("--dist", default="dist")
    p.add_argument("--listen", default="127.0.0.1:8080")
    p.add_argument("--content-path", default="/ui/")
    p.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        help="another host[:port] browsers use to reach this server (repeatable); the listen address is always allowed",
    )
    return p.parse_args()


def main():
    args = parse_args()
    if not args.consul:
        sys.exit("make serve needs the Consul address: make serve CONSUL_HTTP_ADDR=http://host:8500")
    target = urllib.parse.urlsplit(args.consul if "://" in args.consul else "http://" + args.consul)
    if target.scheme not in ("http", "https") or not target.hostname:
        sys.exit(f"CONSUL_HTTP_ADDR is not an http(s) address: {args.consul}")

    def connect():
        cls = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
        return cls(target.hostname, target.port or (443 if target.scheme == "https" else 80), timeout=330)

    try:
        c = connect()
        c.request("GET", "/v1/status/leader")
        r = c.getresponse()
        r.read()
        print(f"Consul at {args.consul} answered {r.status} on /v1/status/leader")
    except OSError as e:
        sys.exit(f"Cannot reach Consul at {args.consul}: {e}")

    dist = os.path.abspath(args.dist)
    index_path = os.path.join(dist, "index.html")
    if not os.path.exists(index_path):
        sys.exit(f"{index_path} is missing: run `make build` first")
    prefix = ("/" + args.content_path.strip("/") + "/").replace("//", "/")
    if not re.fullmatch(r"/([A-Za-z0-9._~-]+/)*", prefix) or "/./" in prefix or "/../" in prefix:
        sys.exit(f"--content-path must be a plain path such as /ui/ or /: {args.content_path}")
    # Only what the proxy knows: ACLs and the datacenter are asked of the agent by the console.
    settings = {"ContentPath": prefix}

    def render_index():
        with open(index_path, encoding="utf-8") as f:
            text = f.read()
        return (
            text.replace("{{ .ContentPath }}", prefix)
            .replace("{{ jsonEncode . }}", json.dumps(settings, indent=2).replace("<", "\\u003c"))
            .encode()
        )

    allowed_hosts = set()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def send(self, code, body=b"", headers=(), length=None):
            """One response; HEAD gets the same headers and no body."""
            self.send_response(code)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def send_plain(self, code, text, close=False):
            if close:  # the request's body, if any, is left unread: never reuse the connection
                self.close_connection = True
            self.send(code, text.encode(), [("Content-Type", "text/plain; charset=utf-8")] + UI_HEADERS)

        def addressed_here(self):
            """Host (and Origin, when the browser sends one) must name this server: a page on another
            name resolving here (DNS rebinding) or on another site is refused."""
            host = (self.headers.get("Host") or "").strip().lower()
            if host not in allowed_hosts:
                return False
            origin = self.headers.get("Origin")
            if origin is None:
                return True
            return origin.strip().lower() in {"http://" + h for h in allowed_hosts}

        def request_length(self):
            """The request body's length, or None without a valid Content-Length (or with chunking)."""
            if self.headers.get("Transfer-Encoding"):
                return None
            values = self.headers.get_all("Content-Length") or []
            if not values:
                return 0
            if len(set(v.strip() for v in values)) != 1 or not re.fullmatch(r"[0-9]{1,12}", values[0].strip()):
                return None
            return int(values[0].strip())

        def log_message(self, fmt, *a):  # never log query strings (they could carry ?token=)
            sys.stderr.write("%s %s\n" % (self.command, urllib.parse.urlsplit(self.path).path))

        def proxy(self):
            length = self.request_length()
            if length is None:
                return self.send_plain(400, "bad request: a request body needs a valid Content-Length", close=True)
            if length > MAX_BODY:
                return self.send_plain(413, "request body too large", close=True)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
            try:
                c = connect()
                c.request(self.command, self.path, body=body, headers=headers)
                r = c.getresponse()
                data = r.read()
            except (OSError, http.client.HTTPException) as e:
                return self.send_plain(502, f"proxy: cannot reach Consul at {args.consul}: {e}")
            headers = [(k, v) for k, v in r.getheaders() if k.lower() not in HOP_HEADERS and k.lower() != "content-length"]
            length = len(data)
            if self.command == "HEAD":
                length = r.getheader("Content-Length") or 0
            self.send(r.status, data, headers, length=length)

        def static(self):
            path = urllib.parse.urlsplit(self.path).path
            if prefix != "/" and (path == "/" or path + "/" == prefix):
                return self.send(301, headers=[("Location", prefix)])
            if not path.startswith(prefix):
                return self.send_plain(404, "not found")
            rel = urllib.parse.unquote(path[len(prefix):])
            file = os.path.normpath(os.path.join(dist, rel))
            if rel and file.startswith(dist + os.sep) and os.path.isfile(file) and not file.endswith("index.html"):
                with open(file, "rb") as f:
                    data = f.read()
                ctype = "application/wasm" if file.endswith(".wasm") else mimetypes.guess_type(file)[0]
                cache = "public, max-age=31536000, immutable" if HASHED.search(file) else "no-cache"
            else:
                data, ctype, cache = render_index(), "text/html; charset=utf-8", "no-store"
            headers = [("Content-Type", ctype or "application/octet-stream"), ("Cache-Control", cache)]
            self.send(200, data, headers + UI_HEADERS)

        def handle_any(self):
            if not self.path.startswith("/"):
                return self.send_plain(400, "bad request target", close=True)
            if not self.addressed_here():
                return self.send_plain(403, "forbidden: this server answers only requests addressed to it", close=True)
            if self.path.startswith("/v1/"):
                # The API only for the console's own pages: not for a request another site started.
                if (self.headers.get("Sec-Fetch-Site") or "same-origin").lower() not in ("same-origin", "none"):
                    return self.send_plain(403, "forbidden: cross-site request", close=True)
                self.proxy()
            elif self.command in ("GET", "HEAD"):
                self.static()
            else:
                self.send_plain(405, "method not allowed", close=True)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any

    host, port = args.listen.rsplit(":", 1)
    server = http.server.ThreadingHTTPServer((host, int(port)), Handler)
    bound = f"{server.server_address[0]}:{server.server_address[1]}"
    bound_port = server.server_address[1]
    allowed_hosts.add(bound)
    if server.server_address[0] in ("127.0.0.1", "0.0.0.0"):
        allowed_hosts.update({f"localhost:{bound_port}", f"127.0.0.1:{bound_port}"})
    allowed_hosts.update(h.strip().lower() for h in args.allowed_host)
    if bound_port == 80:
        allowed_hosts.update({h.rsplit(":", 1)[0] for h in list(allowed_hosts)})
    print(f"Consul Peering Console: http://{bound}{prefix}  (API proxied to {args.consul})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
