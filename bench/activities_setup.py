#!/usr/bin/env python3
"""Setup for bench/activities.sh (issue #4): volunteers who can sign in, and
the activities the load runs use.

1. In the SQLite file, while no server has it open: gives VOLUNTEERS active
   volunteers without an account a volunteer account and a live session, and
   writes "volunteer_id token" lines to TOKENS (the token itself is only in
   that file; the database keeps its SHA-256, as the server does).
2. Through the API as the demo admin, on a running server:
   - for the list: a weekly series (4 sessions) in each of COMMUNITIES
     communities, so every district lists upcoming activities;
   - for sign-ups: one weekly series of 52 sessions at 03:00 (no overlap with
     anything else a volunteer has), capacity 5,000 each;
   - for check-ins: 4 walk-up activities starting within the next hour.
   Prints JSON with the ids and the list queries.

Usage: activities_setup.py accounts DB TOKENS VOLUNTEERS
       activities_setup.py plan URL DB COMMUNITIES
"""
import datetime
import hashlib
import http.client
import json
import secrets
import sqlite3
import sys
import time
import urllib.parse


def accounts(db, tokens_path, n):
    con = sqlite3.connect(db)
    now = int(time.time() * 1000)
    vids = [r[0] for r in con.execute(
        "SELECT v.id FROM volunteers v WHERE v.active = 1 AND NOT EXISTS "
        "(SELECT 1 FROM users u WHERE u.volunteer_id = v.id) ORDER BY v.id LIMIT ?", (n,))]
    lines = []
    for vid in vids:
        token = secrets.token_urlsafe(32)
        cur = con.execute(
            "INSERT INTO users (login, password_hash, role, volunteer_id, active, created_at) "
            "VALUES (?, 'bench: no password', 'volunteer', ?, 1, ?)", (f"bench-v{vid}", vid, now))
        con.execute("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                    (hashlib.sha256(token.encode()).hexdigest(), cur.lastrowid, now, now + 7 * 86400_000))
        lines.append(f"{vid} {token}\n")
    con.commit()
    with open(tokens_path, "w") as f:
        f.writelines(lines)
    print(len(lines))


class Api:
    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        self.token = None
        self.token = self.call("POST", "/api/v1/auth/login", {"login": "admin", "password": "demo-admin"})["token"]

    def call(self, method, path, body=None):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status >= 300:
            sys.exit(f"setup: {method} {path} -> {resp.status} {data[:300]!r}")
        return json.loads(data) if data else None


def rfc3339(dt):
    return dt.isoformat(timespec="seconds")


def plan(url, db, n_communities):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    team = con.execute("SELECT id FROM teams WHERE active = 1 ORDER BY id LIMIT 1").fetchone()[0]
    communities = con.execute(
        "SELECT c.id, c.district_id FROM communities c ORDER BY c.id LIMIT ?", (n_communities,)).fetchall()
    api = Api(url)
    tz = datetime.timezone(datetime.timedelta(hours=8))
    today = datetime.datetime.now(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    base = {"team_id": team, "capacity": 30, "theme": "harmony", "address": "社区活动中心",
            "description": "压力测试：社区志愿服务活动。"}
    titles = ["敬老院陪伴", "社区环境清洁", "垃圾分类宣传", "文明交通劝导", "义务理发"]
    for k, (cid, _) in enumerate(communities):
        day = today + datetime.timedelta(days=1 + k % 6, hours=9 + k % 5)
        api.call("POST", "/api/v1/activities", dict(base, title=titles[k % len(titles)], community_id=cid,
                                                     starts_at=rfc3339(day), ends_at=rfc3339(day + datetime.timedelta(hours=2)),
                                                     repeat_weeks=3))
    cid = communities[0][0]
    first = today + datetime.timedelta(days=1, hours=3)
    signup = api.call("POST", "/api/v1/activities", dict(
        base, title="报名压力测试", community_id=cid, capacity=5000, starts_at=rfc3339(first),
        ends_at=rfc3339(first + datetime.timedelta(minutes=30)), repeat_weeks=52))["ids"]
    soon = datetime.datetime.now(tz).replace(microsecond=0) + datetime.timedelta(minutes=60)
    checkin = []
    for k in range(10):
        checkin.append(api.call("POST", "/api/v1/activities", dict(
            base, title=f"签到压力测试 {k + 1}", community_id=cid, capacity=5000, walk_ups=True,
            starts_at=rfc3339(soon), ends_at=rfc3339(soon + datetime.timedelta(hours=4))))["id"])
    districts = sorted({d for _, d in communities})
    json.dump({
        "list_queries": [f"district_id={d}" for d in districts] + [f"community_id={c}" for c, _ in communities],
        "districts": len(districts), "communities": len(communities),
        "signup_ids": signup, "checkin_ids": checkin,
    }, sys.stdout)
    print()


if __name__ == "__main__":
    if sys.argv[1] == "accounts":
        accounts(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == "plan":
        plan(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)
