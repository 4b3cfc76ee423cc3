#!/usr/bin/env python3
"""Setup for bench/projects.sh (issue #14 §1): grows the demo's year of
activities to TARGET activities by copying each planned activity of a
catalogue project (with its attendance and ledger entries) whole weeks back,
week after week, in the SQLite file while no server has it open. Prints JSON:
the activity count, the busiest project and how many activities it has.

Usage: projects_setup.py DB TARGET
"""
import json
import sqlite3
import sys

WEEK_MS = 7 * 24 * 3600 * 1000
ACTIVITY = ("team_id, community_id, district_id, project_id, title, description, address, theme, starts_at, ends_at, "
            "capacity, confirmed, waitlisted, risky, insurance, adults_only, walk_ups, checkin_token, cancelled_at, "
            "hours_confirmed_at, hours_confirmed_by, created_by, created_at, updated_at")
ENTRY = "volunteer_id, kind, hours, served_on, recorded_by, confirmed_by, note, created_at, activity_id, started_at, ended_at"


def main():
    db, target = sys.argv[1], int(sys.argv[2])
    c = sqlite3.connect(db)
    c.execute("PRAGMA foreign_keys = ON")
    cols = ACTIVITY.split(", ")
    base = c.execute(f"SELECT id, {ACTIVITY} FROM activities WHERE project_id IS NOT NULL AND dispatch_id IS NULL ORDER BY id").fetchall()
    if not base:
        sys.exit("projects_setup: the demo has no activities of a project")
    entries = {}
    for row in c.execute(f"SELECT activity_id, {ENTRY.replace('activity_id, ', '')} FROM hours_entries "
                         "WHERE activity_id IS NOT NULL AND corrects_entry_id IS NULL"):
        entries.setdefault(row[0], []).append(row[1:])
    attendance = {}
    for row in c.execute("SELECT activity_id, volunteer_id, checked_in_at, checked_out_at FROM attendance"):
        attendance.setdefault(row[0], []).append(row[1:])
    have = c.execute("SELECT COUNT(*) FROM activities").fetchone()[0]
    starts, token = cols.index("starts_at") + 1, cols.index("checkin_token") + 1
    insert = f"INSERT INTO activities ({ACTIVITY}) VALUES ({', '.join('?' * len(cols))})"
    week = 0
    with c:
        while have < target:
            week += 1
            shift = week * WEEK_MS
            for row in base:
                if have >= target:
                    break
                r = list(row[1:])
                r[starts - 1] -= shift
                r[starts] -= shift  # ends_at follows starts_at
                r[token - 1] = f"{r[token - 1]}-w{week}"
                new_id = c.execute(insert, r).lastrowid
                have += 1
                for e in entries.get(row[0], []):
                    e = list(e)
                    e.insert(8, new_id)  # activity_id, in ENTRY's order
                    e[9], e[10] = (e[9] - shift if e[9] else None), (e[10] - shift if e[10] else None)
                    c.execute(f"INSERT INTO hours_entries ({ENTRY}) VALUES (?, ?, ?, date(?, '-{7 * week} days'), ?, ?, ?, ?, ?, ?, ?)", e)
                for vol, cin, cout in attendance.get(row[0], []):
                    c.execute("INSERT INTO attendance (activity_id, volunteer_id, checked_in_at, checked_out_at) VALUES (?, ?, ?, ?)",
                              (new_id, vol, cin - shift, cout - shift if cout else None))
    busiest, n = c.execute("SELECT project_id, COUNT(*) FROM activities WHERE project_id IS NOT NULL "
                           "GROUP BY project_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
    print(json.dumps({"activities": have, "weeks_back": week, "busiest_project": busiest, "busiest_activities": n,
                      "entries": c.execute("SELECT COUNT(*) FROM hours_entries").fetchone()[0]}))


if __name__ == "__main__":
    main()
