#!/usr/bin/env python3
"""`make serve`: the release bundle at /ui/ with /v1/ proxied to a real Consul.

Renders index.html the way a Consul agent renders a custom UI (ContentPath and the settings block),
so the console behaves exactly as it would from ui_config.dir. The operator's ACL token is entered
in the UI and passed through; this proxy never adds one. Standard library only.
"""
import argparse
import http.client
import http.server
import json
import mimetypes
import os
import sys
import urllib.parse

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "proxy-authorization", "host"}


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--consul", default="")
    p.add_argument("--dist", default="dist")
    p.add_argument("--listen", default="127.0.0.1:8080")
    p.add_argument("--content-path", default="/ui/")
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
    prefix = "/" + args.content_path.strip("/") + "/"
    # Only what the proxy knows: ACLs and the datacenter are asked of the agent by the console.
    settings = {"ContentPath": prefix}

    def render_index():
        with open(index_path, encoding="utf-8") as f:
            text = f.read()
        return (
            text.replace("{{ .ContentPath }}", prefix)
            .replace("{{ jsonEncode . }}", json.dumps(settings, indent=2))
            .encode()
        )

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):  # never log query strings (they could carry ?token=)
            sys.stderr.write("%s %s\n" % (self.command, urllib.parse.urlsplit(self.path).path))

        def proxy(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
            try:
                c = connect()
                c.request(self.command, self.path, body=body, headers=headers)
                r = c.getresponse()
                data = r.read()
            except OSError as e:
                msg = f"proxy: cannot reach Consul at {args.consul}: {e}".encode()
                self.send_response(502)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(msg)))
                self.end_headers()
                self.wfile.write(msg)
                return
            self.send_response(r.status)
            for k, v in r.getheaders():
                if k.lower() not in HOP_HEADERS and k.lower() != "content-length":
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def static(self):
            path = urllib.parse.urlsplit(self.path).path
            if path == "/" or path + "/" == prefix:
                self.send_response(301)
                self.send_header("Location", prefix)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if not path.startswith(prefix):
                return self.send_plain(404, "not found")
            rel = urllib.parse.unquote(path[len(prefix):])
            file = os.path.normpath(os.path.join(dist, rel))
            if rel and file.startswith(dist + os.sep) and os.path.isfile(file) and not file.endswith("index.html"):
                with open(file, "rb") as f:
                    data = f.read()
                ctype = "application/wasm" if file.endswith(".wasm") else mimetypes.guess_type(file)[0]
            else:
                data, ctype = render_index(), "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", ctype or "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def send_plain(self, code, text):
            data = text.encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def handle_any(self):
            if self.path.startswith("/v1/"):
                self.proxy()
            elif self.command in ("GET", "HEAD"):
                self.static()
            else:
                self.send_plain(405, "method not allowed")

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any

    host, port = args.listen.rsplit(":", 1)
    server = http.server.ThreadingHTTPServer((host, int(port)), Handler)
    bound = f"{server.server_address[0]}:{server.server_address[1]}"
    print(f"Consul Peering Console: http://{bound}{prefix}  (API proxied to {args.consul})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
