"""Times each role's first screen (GET / with the demo login's session) and
/healthz, one request at a time on one keep-alive connection, and prints a
Markdown table: p50/p90/p99 in ms and p50 as a multiple of /healthz's p50.

Usage: first_screens.py HOST PORT REQUESTS
"""
import http.client
import json
import random
import sys
import time

from search import login, percentile

# The demo's logins (`tongxing serve --demo` prints them); the password is demo-<login>.
ROLES = ["volunteer", "leader", "liaison", "observer", "coordinator", "viewer"]


def timed(conn, path, cookie, bearer=None):
    """One GET with a page session (`cookie`) or an API token (`bearer`); seconds and body."""
    headers = {"Cookie": f"tx_session={cookie}"} if cookie else {}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    t0 = time.perf_counter()
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    dt = time.perf_counter() - t0
    if resp.status != 200:
        sys.exit(f"first_screens: GET {path} answered {resp.status}: {body[:200]!r}")
    return dt, body


def main():
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    kinds = [("healthz", "/healthz", None)] + [(r, "/", login(host, port, r, f"demo-{r}")) for r in ROLES]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    # What each screen shows, to be sure it is the role's own and not an empty or error page.
    for kind, path, cookie in kinds[1:]:
        _, body = timed(conn, path, cookie)
        marker = {"volunteer": b'id="home-next"', "leader": b'id="home-claimable"', "liaison": b'id="home-unit-people"',
                  "observer": b'id="home-needs"', "coordinator": b'id="home-levels"', "viewer": b'id="home-figures"'}[kind]
        if marker not in body:
            sys.exit(f"first_screens: {kind}'s first screen lacks {marker!r}")
    order = [k for k in kinds for _ in range(n)]
    random.Random(13).shuffle(order)
    for k in kinds:  # warm-up, not counted
        for _ in range(20):
            timed(conn, k[1], k[2])
    samples = {k[0]: [] for k in kinds}
    for kind, path, cookie in order:
        samples[kind].append(timed(conn, path, cookie)[0] * 1000)
    base = percentile(sorted(samples["healthz"]), 50)
    print("| page | n | p50 ms | p90 ms | p99 ms | p50 ÷ healthz p50 | target p50 < 5 ms |")
    print("|---|---|---|---|---|---|---|")
    for kind, _, _ in kinds:
        s = sorted(samples[kind])
        p50 = percentile(s, 50)
        verdict = "baseline" if kind == "healthz" else ("met" if p50 < 5 else "**missed**")
        print(f"| {kind} | {len(s)} | {p50:.2f} | {percentile(s, 90):.2f} | {percentile(s, 99):.2f} | {p50 / base:.1f}× | {verdict} |")
    print(json.dumps({k: percentile(sorted(v), 50) for k, v in samples.items()}), file=sys.stderr)


if __name__ == "__main__":
    main()
