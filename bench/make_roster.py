#!/usr/bin/env python3
"""Generate a volunteer roster .xlsx for the import benchmark.

Every line is valid and new to the database it is generated against:

* names: realistic Chinese names (common surnames weighted by frequency,
  one- or two-character given names matching the person's sex);
* phones: unique 11-digit mainland mobiles with the 195 prefix, which the demo
  generator never uses (its prefixes include 166), and checked against every
  phone already in the database;
* ID numbers: valid 18-digit resident ID numbers (GB 11643-1999 checksum,
  real birth date, sex digit matching the name) with Jinan county codes, so
  they cannot collide with the demo's Dongying (3705xx) numbers;
* unit / community / team names: read from the database, so every reference
  exists; skills: the demo's own skill names.

The headings are the Chinese ones units use:
姓名 手机号 身份证号 单位 小区 服务队 技能 是否党员.

Usage: make_roster.py --db /abs/path.db --rows 10000 --seed 1 --out roster.xlsx
"""

import argparse
import datetime
import random
import sqlite3
import subprocess
import sys


def ensure_openpyxl():
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        print("make_roster: installing openpyxl from PyPI", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "openpyxl"])


# The most common surnames with rough relative frequencies (per mille).
SURNAMES = [
    ("王", 72), ("李", 72), ("张", 69), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22), ("赵", 22),
    ("吴", 20), ("周", 19), ("徐", 13), ("孙", 13), ("马", 12), ("朱", 11), ("胡", 11), ("郭", 11),
    ("何", 9), ("林", 9), ("高", 9), ("罗", 8), ("郑", 8), ("梁", 8), ("谢", 6), ("宋", 6),
    ("唐", 6), ("许", 5), ("韩", 5), ("冯", 5), ("邓", 5), ("曹", 5), ("彭", 4), ("曾", 4),
    ("肖", 4), ("田", 4), ("董", 4), ("袁", 4), ("潘", 3), ("于", 3), ("蒋", 3), ("蔡", 3),
    ("余", 3), ("杜", 3), ("叶", 3), ("程", 3), ("苏", 3), ("魏", 3), ("吕", 3), ("丁", 3),
    ("任", 3), ("沈", 2), ("姚", 2), ("卢", 2), ("姜", 2), ("崔", 2), ("钟", 2), ("谭", 2),
    ("陆", 2), ("汪", 2), ("范", 2), ("金", 2), ("石", 2), ("廖", 2), ("贾", 2), ("夏", 2),
    ("韦", 2), ("付", 2), ("方", 2), ("白", 2), ("邹", 2), ("孟", 2), ("熊", 2), ("秦", 2),
    ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2), ("段", 2), ("雷", 2), ("侯", 2),
    ("欧阳", 1), ("司马", 1), ("诸葛", 1),
]
MALE_CHARS = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣兵峰建文志国东海成晨亮博振"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英慧巧美玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛瑶怡婷雯倩"
# Jinan's county codes: not the demo region's (Dongying, 3705xx).
ID_REGIONS = ["370102", "370103", "370104", "370105", "370112", "370113"]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
PHONE_PREFIX = "195"
FALLBACK_SKILLS = ["医疗救护", "心理疏导", "驾驶", "电工", "法律咨询", "理发", "应急救援", "文艺演出", "摄影", "计算机"]


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def name(rng: random.Random, female: bool) -> str:
    surname = rng.choices([s for s, _ in SURNAMES], weights=[w for _, w in SURNAMES])[0]
    chars = FEMALE_CHARS if female else MALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.8 else "")
    return surname + given


def id_number(rng: random.Random, female: bool, used: set) -> str:
    while True:
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(0, 45 * 365))
        seq = rng.randrange(0, 100) * 10 + rng.choice([0, 2, 4, 6, 8] if female else [1, 3, 5, 7, 9])
        first17 = f"{rng.choice(ID_REGIONS)}{born:%Y%m%d}{seq:03d}"
        value = first17 + id_check_char(first17)
        if value not in used:
            used.add(value)
            return value


def phone(rng: random.Random, used: set) -> str:
    while True:
        value = f"{PHONE_PREFIX}{rng.randrange(0, 10**8):08d}"
        if value not in used:
            used.add(value)
            return value


def registry(db_path: str):
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        units = [r[0] for r in con.execute("SELECT name FROM units WHERE active = 1 ORDER BY id")]
        communities = [r[0] for r in con.execute("SELECT name FROM communities WHERE active = 1 ORDER BY id")]
        teams = [r[0] for r in con.execute("SELECT name FROM teams WHERE active = 1 ORDER BY id")]
        skills = [r[0] for r in con.execute("SELECT DISTINCT skill FROM volunteer_skills ORDER BY skill")] or FALLBACK_SKILLS
        phones = {r[0] for r in con.execute("SELECT phone FROM volunteers")}
    finally:
        con.close()
    if not (units and communities and teams):
        sys.exit(f"make_roster: {db_path} has no units, communities or teams; load the demo region first")
    return units, communities, teams, skills, phones


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="the SQLite file the roster will be imported into")
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    ensure_openpyxl()
    from openpyxl import Workbook

    units, communities, teams, skills, used_phones = registry(a.db)
    rng = random.Random(a.seed)
    used_ids: set = set()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("志愿者名册")
    ws.append(["姓名", "手机号", "身份证号", "单位", "小区", "服务队", "技能", "是否党员"])
    for _ in range(a.rows):
        female = rng.random() < 0.55
        ws.append([
            name(rng, female),
            phone(rng, used_phones),
            id_number(rng, female, used_ids),
            rng.choice(units),
            rng.choice(communities),
            "、".join(rng.sample(teams, rng.choice([0, 1, 1, 1, 2]))),
            "、".join(rng.sample(skills, rng.choice([0, 1, 1, 2, 3]))),
            "是" if rng.random() < 0.35 else "否",
        ])
    wb.save(a.out)
    print(f"make_roster: {a.rows} rows written to {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
