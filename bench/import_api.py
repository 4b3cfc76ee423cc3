#!/usr/bin/env python3
"""Time one roster upload through the API (Python stdlib only).

POST /api/v1/volunteers/import as multipart field `file`; the time is client
side, from the first byte sent to the whole JSON answer read, i.e. upload,
parsing the .xlsx, checking every line and the one write transaction.
Fails (exit 1) unless every line was created.

Usage: import_api.py --url http://127.0.0.1:PORT --file roster.xlsx [--json out.json]
"""

import argparse
import http.client
import json
import os
import sys
import time
import urllib.parse
import uuid


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--login", default="admin")
    ap.add_argument("--password", default="demo-admin")
    ap.add_argument("--expect", type=int, help="lines that must be created (default: all read)")
    ap.add_argument("--json")
    a = ap.parse_args()
    u = urllib.parse.urlsplit(a.url)
    if u.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("import_api: only loopback targets are allowed")

    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    conn.request("POST", "/api/v1/auth/login", body=json.dumps({"login": a.login, "password": a.password}),
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        sys.exit(f"import_api: login failed: {r.status} {data[:200]!r}")
    token = json.loads(data)["token"]

    with open(a.file, "rb") as f:
        content = f.read()
    boundary = uuid.uuid4().hex
    name = os.path.basename(a.file)
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
    ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"}

    t0 = time.perf_counter()
    conn.request("POST", "/api/v1/volunteers/import", body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    seconds = time.perf_counter() - t0
    if r.status != 200:
        sys.exit(f"import_api: {r.status} {data[:500]!r}")
    rep = json.loads(data)
    result = {"file": name, "bytes": len(content), "seconds": seconds, "rows": rep.get("rows"), "created": rep.get("created"),
              "updated": rep.get("updated"), "errors": len(rep.get("errors", [])), "committed": rep.get("committed")}
    print(f"import_api: {name}: {result['rows']} lines, {result['created']} created, {result['updated']} updated, "
          f"{result['errors']} errors in {seconds:.2f} s")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=2)
    want = a.expect if a.expect is not None else rep.get("rows")
    if rep.get("errors") or rep.get("created") != want or not rep.get("committed"):
        print(f"import_api: expected {want} created and no errors; first errors: {rep.get('errors', [])[:5]}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
