#!/usr/bin/env python3
"""Hostile uploads for bench/hostile_uploads.sh (Python stdlib only).

  login URL                     prints the demo admin's bearer token
  make DIR                      writes sparse.xlsx (cells A1 and XFD1048576, ~1.6 KB),
                                bomb.xlsx (~200 MB of sheet XML in well under 1 MB),
                                liar.xlsx (the bomb claiming 1 MB) and long.csv (60,000 lines)
  once URL FILE N               uploads FILE N times one after another; prints the
                                statuses and client-side times (ms) as JSON
  storm URL SECONDS FILE...     one thread per FILE, each uploading its file in a loop
                                for SECONDS; prints the count and times as JSON

Every upload must be refused with 413 or 422 (exit 1 otherwise). Only loopback
targets are allowed. `once` and `storm` take the token from HOSTILE_TOKEN: the
login (an Argon2 hash of ~19 MiB) is done before the server's peak memory is reset,
so that it is not counted as the uploads'.
"""

import http.client
import json
import os
import struct
import sys
import threading
import time
import urllib.parse
import uuid
import zipfile

WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>')
SHEET = "xl/worksheets/sheet1.xml"


def workbook(path, dimension, rows, repeat):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        with z.open(SHEET, "w", force_zip64=False) as f:
            f.write(('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                     f'spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>').encode())
            chunk = rows.encode()
            for _ in range(repeat):
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")


def claim_size(path, out, size):
    """The sheet's part claims `size` bytes decompressed (local header and central directory)."""
    data = bytearray(open(path, "rb").read())
    for sig, name_len_at, size_at, name_at in ((b"PK\x03\x04", 26, 22, 30), (b"PK\x01\x02", 28, 24, 46)):
        i = data.find(sig)
        while i >= 0:
            n = struct.unpack_from("<H", data, i + name_len_at)[0]
            if data[i + name_at:i + name_at + n] == SHEET.encode():
                struct.pack_into("<I", data, i + size_at, size)
                break
            i = data.find(sig, i + 1)
    open(out, "wb").write(data)


def make(d):
    sparse = ('<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'
              '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    workbook(f"{d}/sparse.xlsx", "A1:XFD1048576", sparse, 1)
    workbook(f"{d}/bomb.xlsx", "A1", '<row><c t="inlineStr"><is><t>陈明</t></is></c></row>' * 20_000, 190)
    claim_size(f"{d}/bomb.xlsx", f"{d}/liar.xlsx", 1_000_000)
    with open(f"{d}/long.csv", "w", encoding="utf-8") as f:
        f.write("姓名,手机号,单位,小区\n" + "x\n" * 60_000)
    for n in ("sparse.xlsx", "bomb.xlsx", "liar.xlsx", "long.csv"):
        print(n, os.path.getsize(f"{d}/{n}"), file=sys.stderr)


def loopback(url):
    u = urllib.parse.urlsplit(url)
    if u.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("hostile_uploads: only loopback targets are allowed")
    return u.hostname, u.port


def login(url):
    host, port = loopback(url)
    conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.request("POST", "/api/v1/auth/login", body=json.dumps({"login": "admin", "password": "demo-admin"}),
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        sys.exit(f"login failed: {r.status} {data[:200]!r}")
    return json.loads(data)["token"]


class Uploader:
    def __init__(self, url):
        self.host, self.port = loopback(url)
        self.token = os.environ["HOSTILE_TOKEN"]

    def upload(self, path, content):
        """One refused upload on a new connection: (status, milliseconds)."""
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{os.path.basename(path)}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        t0 = time.perf_counter()
        conn.request("POST", "/api/v1/volunteers/import", body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        ms = (time.perf_counter() - t0) * 1000
        conn.close()
        if r.status not in (413, 422):
            sys.exit(f"{path}: expected a refusal, got {r.status} {data[:300]!r}")
        return r.status, ms, json.loads(data)["error"]["code"]


def summary(times):
    times = sorted(times)
    return {"n": len(times), "p50_ms": round(times[len(times) // 2], 2), "max_ms": round(times[-1], 2)}


def once(url, path, n):
    up = Uploader(url)
    content = open(path, "rb").read()
    results = [up.upload(path, content) for _ in range(n)]
    print(json.dumps({"file": os.path.basename(path), "bytes": len(content), "status": results[0][0],
                      "code": results[0][2], **summary([r[1] for r in results])}))


def storm(url, seconds, paths):
    up = Uploader(url)
    times, lock, stop = [], threading.Lock(), time.monotonic() + seconds

    failures = []

    def loop(path):
        content = open(path, "rb").read()
        try:
            while time.monotonic() < stop:
                _, ms, _ = up.upload(path, content)
                with lock:
                    times.append(ms)
        except (SystemExit, OSError) as e:  # a thread's sys.exit ends only the thread
            failures.append(str(e))

    threads = [threading.Thread(target=loop, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit(f"storm: {failures[0]}")
    print(json.dumps({"uploaders": len(paths), **summary(times)}))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "login":
        print(login(args[0]))
    elif cmd == "make":
        make(args[0])
    elif cmd == "once":
        once(args[0], args[1], int(args[2]))
    elif cmd == "storm":
        storm(args[0], float(args[1]), args[2:])
    else:
        sys.exit(__doc__)
