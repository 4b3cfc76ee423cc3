#!/usr/bin/env python3
"""Show how SQLite plans the volunteer-search SQL, and time it without the server.

Rebuilds the two statements crates/store/src/registry/volunteers.rs::list runs for a
`q` (the page and the COUNT(*)) for one query of each kind, prints
EXPLAIN QUERY PLAN for each, and times them directly on the file with
Python's sqlite3 module (read-only). The teams/skills look-ups that follow
for the page's rows are not included. Comparing these times with the API
latency tells whether the time goes to the database or to the rest.

Usage: explain.py --db /abs/path.db [--json out.json]
"""

import argparse
import json
import sqlite3
import time

SELECT = ("SELECT v.id, v.name, v.phone, v.id_number_enc, v.birth_date, v.unit_id, u.name AS unit_name, "
          "v.community_id, c.name AS community_name, v.party_member, v.vest_number, v.availability, v.active "
          "FROM volunteers v JOIN units u ON u.id = v.unit_id JOIN communities c ON c.id = v.community_id")
TOP = "\U0010FFFF"  # tongxing_domain::search::prefix_upper_bound


def where(kind, q):
    if kind == "phone":
        rev = q[::-1]
        return " WHERE (v.phone_rev >= ? AND v.phone_rev < ?) AND (v.active = TRUE)", [rev, rev + TOP]
    if kind.endswith("pinyin"):
        lo, hi = q, q + TOP
        return (" WHERE ((v.name_initials >= ? AND v.name_initials < ?) OR (v.name_pinyin >= ? AND v.name_pinyin < ?)) "
                "AND (v.active = TRUE)", [lo, hi, lo, hi])
    return " WHERE (v.name >= ? AND v.name < ?) AND (v.active = TRUE)", [q, q + TOP]


def timed(con, sql, args, reps):
    best, total = float("inf"), 0.0
    for _ in range(reps):
        t0 = time.perf_counter()
        con.execute(sql, args).fetchall()
        dt = time.perf_counter() - t0
        best, total = min(best, dt), total + dt
    return best * 1000, total / reps * 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--json")
    a = ap.parse_args()
    con = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    con.execute("PRAGMA cache_size = -32000")  # as the server's connections
    name, initials, phone = con.execute(
        "SELECT name, name_initials, phone FROM volunteers WHERE id = (SELECT MIN(id) + (MAX(id) - MIN(id)) / 2 FROM volunteers)"
    ).fetchone()
    cases = [("name", name[:2]), ("pinyin", initials), ("phone", phone[-4:]), ("broad_name", name[0]), ("broad_pinyin", initials[0])]
    out = {}
    print(f"SQLite {sqlite3.sqlite_version} (Python's; the server links its own via sqlx)")
    for kind, q in cases:
        w, args = where(kind, q)
        page_sql = f"{SELECT}{w} ORDER BY v.id LIMIT ? OFFSET ?"
        count_sql = f"SELECT COUNT(*) FROM volunteers v{w}"
        matches = con.execute(count_sql, args).fetchone()[0]
        page_plan = [r[3] for r in con.execute("EXPLAIN QUERY PLAN " + page_sql, args + [50, 0])]
        count_plan = [r[3] for r in con.execute("EXPLAIN QUERY PLAN " + count_sql, args)]
        page_best, page_mean = timed(con, page_sql, args + [50, 0], a.reps)
        count_best, count_mean = timed(con, count_sql, args, a.reps)
        out[kind] = {"q": q, "matches": matches, "page_plan": page_plan, "count_plan": count_plan,
                     "page_ms_best": page_best, "page_ms_mean": page_mean, "count_ms_best": count_best, "count_ms_mean": count_mean}
        print(f"\n{kind} q={q!r}: {matches} matches; page {page_mean:.2f} ms (best {page_best:.2f}), "
              f"count {count_mean:.2f} ms (best {count_best:.2f})")
        print("  page plan:  " + " | ".join(page_plan))
        print("  count plan: " + " | ".join(count_plan))
    con.close()
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main()
