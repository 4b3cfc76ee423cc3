#!/usr/bin/env python3
"""Load client for the volunteer-search benchmark (Python stdlib only).

Queries are taken from real rows of the database the server runs on (read
directly from the SQLite file, read-only), so every query is one a
coordinator could type and every one finds someone:

  name    the first two characters of a volunteer's name (surname + first
          given character, e.g. 张晓)
  pinyin  the pinyin initials of a volunteer's name (e.g. zxj)
  phone   the last four digits of a volunteer's phone (e.g. 4821)
  healthz GET /healthz, no database: the same-run baseline

Optionally (--broad N) two worst-case kinds, reported separately and not part
of the target: a surname alone (e.g. 张, thousands of matches) and a single
pinyin letter (e.g. z).

The kinds are interleaved in one shuffled list and sent over HTTP/1.1
keep-alive connections, either by one client (--concurrency 1) or by N worker
processes with a connection each. Latency is measured client side, from
sending the request to reading the whole body. A short warm-up (not counted)
comes first. Prints a table and writes JSON (--json).
"""

import argparse
import http.client
import json
import multiprocessing
import random
import resource
import sqlite3
import sys
import time
import urllib.parse

SEARCH_KINDS = ["name", "pinyin", "phone"]


def sample_volunteers(db_path, count, rng):
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        lo, hi = con.execute("SELECT MIN(id), MAX(id) FROM volunteers WHERE active = 1").fetchone()
        out = []
        while len(out) < count:
            row = con.execute(
                "SELECT name, name_initials, phone FROM volunteers WHERE id >= ? AND active = 1 ORDER BY id LIMIT 1",
                (rng.randint(lo, hi),),
            ).fetchone()
            if row:
                out.append(row)
        return out
    finally:
        con.close()


def build_requests(db_path, n, broad, seed):
    rng = random.Random(seed)
    people = sample_volunteers(db_path, max(3 * n, broad), rng)
    reqs = []
    for i in range(n):
        reqs.append(("healthz", "/healthz"))
        name, _, _ = people[i]
        reqs.append(("name", name[:2]))
        _, initials, _ = people[n + i]
        reqs.append(("pinyin", initials))
        _, _, phone = people[2 * n + i]
        reqs.append(("phone", phone[-4:]))
    for i in range(broad):
        name, initials, _ = people[i % len(people)]
        reqs.append(("broad_name", name[0]))
        reqs.append(("broad_pinyin", initials[0]))
    rng.shuffle(reqs)
    return reqs


def path_of(kind, arg):
    if kind == "healthz":
        return arg
    return "/api/v1/volunteers?" + urllib.parse.urlencode({"q": arg})


class Client:
    def __init__(self, host, port, token):
        self.host, self.port, self.token = host, port, token
        self.conn = http.client.HTTPConnection(host, port, timeout=30)

    def get(self, path):
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        for attempt in (0, 1):
            try:
                self.conn.request("GET", path, headers=headers)
                resp = self.conn.getresponse()
                body = resp.read()
                return resp.status, body
            except (http.client.HTTPException, ConnectionError):
                # The server closed the idle connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt:
                    raise
        raise AssertionError("unreachable")


def login(host, port, user, password):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    body = json.dumps({"login": user, "password": password})
    conn.request("POST", "/api/v1/auth/login", body=body, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    data = resp.read()
    if resp.status != 200:
        sys.exit(f"search: login failed: {resp.status} {data[:200]!r}")
    return json.loads(data)["token"]


def run_slice(args):
    """One worker: send its requests in order on one connection; return samples."""
    host, port, token, reqs, deadline = args
    c = Client(host, port, token)
    out = []  # (kind, latency_s, status, total)
    for kind, arg in reqs:
        if time.time() > deadline:
            break
        path = path_of(kind, arg)
        t0 = time.perf_counter()
        status, body = c.get(path)
        dt = time.perf_counter() - t0
        total = None
        if status == 200 and kind != "healthz":
            total = json.loads(body).get("total")
        out.append((kind, dt, status, total))
    c.conn.close()
    return out


def percentile(sorted_vals, p):
    if not sorted_vals:
        return float("nan")
    k = (len(sorted_vals) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(sorted_vals) - 1)
    return sorted_vals[f] + (sorted_vals[c] - sorted_vals[f]) * (k - f)


def summarize(samples, wall):
    kinds = {}
    for kind, dt, status, total in samples:
        k = kinds.setdefault(kind, {"lat": [], "errors": 0, "totals": []})
        if status != 200:
            k["errors"] += 1
            continue
        k["lat"].append(dt * 1000.0)
        if total is not None:
            k["totals"].append(total)
    out = {}
    for kind, k in kinds.items():
        lat = sorted(k["lat"])
        out[kind] = {
            "n": len(lat),
            "errors": k["errors"],
            "p50_ms": percentile(lat, 50),
            "p90_ms": percentile(lat, 90),
            "p99_ms": percentile(lat, 99),
            "max_ms": lat[-1] if lat else float("nan"),
            "mean_ms": sum(lat) / len(lat) if lat else float("nan"),
            "mean_matches": (sum(k["totals"]) / len(k["totals"])) if k["totals"] else None,
        }
    base = out.get("healthz", {}).get("p50_ms")
    for kind, s in out.items():
        s["p50_ratio_to_healthz"] = (s["p50_ms"] / base) if base else None
    return {"kinds": out, "requests": len(samples), "wall_s": wall, "throughput_rps": len(samples) / wall if wall else None}


def print_table(label, res):
    print(f"\n{label}: {res['requests']} requests in {res['wall_s']:.1f} s ({res['throughput_rps']:.0f} req/s)")
    print(f"{'kind':<13}{'n':>6}{'err':>5}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}{'x healthz':>10}{'matches':>9}")
    order = ["healthz"] + SEARCH_KINDS + ["broad_name", "broad_pinyin"]
    for kind in [k for k in order if k in res["kinds"]]:
        s = res["kinds"][kind]
        ratio = f"{s['p50_ratio_to_healthz']:.1f}" if s["p50_ratio_to_healthz"] else "-"
        matches = f"{s['mean_matches']:.0f}" if s["mean_matches"] is not None else "-"
        print(f"{kind:<13}{s['n']:>6}{s['errors']:>5}{s['p50_ms']:>9.2f}{s['p90_ms']:>9.2f}{s['p99_ms']:>9.2f}"
              f"{s['max_ms']:>9.1f}{ratio:>10}{matches:>9}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True, help="http://127.0.0.1:PORT")
    ap.add_argument("--db", required=True, help="the SQLite file the server uses (read-only, for sampling queries)")
    ap.add_argument("--login", default="admin")
    ap.add_argument("--password", default="demo-admin")
    ap.add_argument("--requests", type=int, default=2000, help="requests per kind")
    ap.add_argument("--broad", type=int, default=0, help="requests per worst-case kind (surname alone, one letter)")
    ap.add_argument("--concurrency", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--max-seconds", type=float, default=180, help="stop sending after this long (bounded run)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", help="write the results here")
    a = ap.parse_args()

    u = urllib.parse.urlsplit(a.url)
    host, port = u.hostname, u.port
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("search: only loopback targets are allowed")
    token = login(host, port, a.login, a.password)
    reqs = build_requests(a.db, a.requests, a.broad, a.seed)

    warm = build_requests(a.db, max(1, a.warmup // 4), 0, a.seed + 1)
    run_slice((host, port, token, warm, time.time() + 60))

    def cpu():  # this process and its reaped workers: the load generator's own CPU
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    deadline = time.time() + a.max_seconds
    cpu0, t0 = cpu(), time.perf_counter()
    if a.concurrency <= 1:
        samples = run_slice((host, port, token, reqs, deadline))
    else:
        slices = [(host, port, token, reqs[i :: a.concurrency], deadline) for i in range(a.concurrency)]
        with multiprocessing.Pool(a.concurrency) as pool:
            samples = [s for part in pool.map(run_slice, slices) for s in part]
            pool.close()
            pool.join()
    wall = time.perf_counter() - t0
    res = summarize(samples, wall)
    res["client_cpu_s"] = cpu() - cpu0
    res["concurrency"] = a.concurrency
    res["warmup_requests"] = len(warm)
    res["planned_requests"] = len(reqs)
    res["truncated_by_deadline"] = len(samples) < len(reqs)
    print_table(f"concurrency {a.concurrency}", res)
    print(f"load generator CPU: {res['client_cpu_s']:.1f} s over {wall:.1f} s wall")
    if res["truncated_by_deadline"]:
        print(f"WARNING: stopped at the {a.max_seconds:.0f} s limit after {len(samples)} of {len(reqs)} requests")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=2)


if __name__ == "__main__":
    main()
