#!/usr/bin/env python3
"""Tables for results/ab/over-boots/README.md, from the make ab reports.

usage: python3 scripts/tables/ab-over-boots.py [FULL_REPORT_DIR [ONE_BOOT_REPORT_DIR]]
  (from the top of the repository; prints results/ab/over-boots/tables.md)
  defaults: results/ab/over-boots/report and results/ab/report (the first make ab,
  one boot per kernel).

1. Per method, op and region at the largest size: each kernel's ratio to
   compound with its 95% interval over boots (bold when it excludes 1).
2. The one-boot report against this one: of the settings both measured,
   how many each flags per kernel, and which flags did not survive the boots.
3. A null comparison: base-pages against compound on DRAM (anon, thp,
   hugetlb), which base-pages does not touch (it only leaves device-dax's
   vmemmap_shift at 0): every flag there is a false alarm.
"""
import csv
import math
import sys
from collections import defaultdict

full = sys.argv[1] if len(sys.argv) > 1 else "results/ab/over-boots/report"
one = sys.argv[2] if len(sys.argv) > 2 else "results/ab/report"
KERNELS = ["base-pages", "grab-once", "longterm-fast", "slow-batch"]
ALIGN = {"4096": "4K", "2097152": "2M", "1073741824": "1G", "0": "-"}


def rows(d):
    with open(d + "/compare.csv") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def size(b):
    b = int(b)
    return f"{b >> 30}G" if b >= 1 << 30 else f"{b >> 20}M"


def ms(ns):
    return f"{float(ns) / 1e6:.3g} ms"


def key(r):
    return (r["method"], r["region"], r["align"], r["size"], r["op"])


def main():
    a = rows(full)
    by = defaultdict(dict)
    for r in a:
        by[key(r)][r["label"]] = r
    # 1. Largest size per (method, region, align, op).
    biggest = {}
    for k in by:
        m, reg, al, sz, op = k
        g = (m, reg, al, op)
        if g not in biggest or int(sz) > int(biggest[g]):
            biggest[g] = sz
    print("| method | region | align | size | op | compound p50 | " + " | ".join(KERNELS) + " |")
    print("|---|---|---|---:|---|---:|" + "---:|" * len(KERNELS))
    for (m, reg, al, op), sz in sorted(biggest.items()):
        if op == "io":
            continue
        labels = by[(m, reg, al, sz, op)]
        base = labels.get("compound")
        if not base:
            continue
        cells = []
        for kn in KERNELS:
            r = labels.get(kn)
            if not r or not r["ratio"]:
                cells.append("")
                continue
            c = f'{float(r["ratio"]):.3g} [{float(r["lo"]):.3g}, {float(r["hi"]):.3g}]'
            cells.append(f"**{c}**" if r["significant"] == "yes" else c)
        print(f"| {m} | {reg} | {ALIGN.get(al, al)} | {size(sz)} | {op} | {ms(base['p50'])} | " + " | ".join(cells) + " |")
    # 2. The one-boot flags against the over-boots ones.
    try:
        b = rows(one)
    except OSError:
        return
    onek = {(key(r), r["label"]): r for r in b if r["ratio"] and r["op"] != "io"}
    print()
    print("| kernel | settings in both | flagged, one boot | flagged over boots | both | one boot only | over boots only |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    lost = []
    for kn in KERNELS:
        n = f1 = f3 = both = only1 = only3 = 0
        for r in a:
            if r["label"] != kn or not r["ratio"] or r["op"] == "io":
                continue
            o = onek.get((key(r), kn))
            if not o:
                continue
            n += 1
            s1, s3 = o["significant"] == "yes", r["significant"] == "yes"
            f1 += s1
            f3 += s3
            both += s1 and s3
            only1 += s1 and not s3
            only3 += s3 and not s1
            if s1 and not s3 and int(r["size"]) >= 1 << 30:
                lost.append((kn, r, o))
        print(f"| {kn} | {n} | {f1} | {f3} | {both} | {only1} | {only3} |")
    print()
    lost.sort(key=lambda t: -abs(math.log(float(t[2]["ratio"]))))
    print(f"Flags of the one-boot run at 1G and above that the boots do not confirm: {len(lost)}; the 15 largest:")
    print()
    print("| kernel | method | region | align | size | op | one boot | over boots |")
    print("|---|---|---|---|---:|---|---:|---:|")
    for kn, r, o in lost[:15]:
        print(f"| {kn} | {r['method']} | {r['region']} | {ALIGN.get(r['align'], r['align'])} | {size(r['size'])} | {r['op']} | "
              f"{float(o['ratio']):.3g} [{float(o['lo']):.3g}, {float(o['hi']):.3g}] | "
              f"{float(r['ratio']):.3g} [{float(r['lo']):.3g}, {float(r['hi']):.3g}] |")

    print()
    print("base-pages vs compound on DRAM (a null comparison):")
    print()
    print("| | settings | flagged | flagged, ratio off by more than 5% |")
    print("|---|---:|---:|---:|")
    for name, rs in (("one boot", [r for r in b]), ("over boots", a)):
        sel = [r for r in rs if r["label"] == "base-pages" and r["ratio"] and r["op"] != "io"
               and r["region"] in ("anon", "thp", "hugetlb")]
        flag = [r for r in sel if r["significant"] == "yes"]
        big = [r for r in flag if abs(float(r["ratio"]) - 1) > 0.05]
        print(f"| {name} | {len(sel)} | {len(flag)} | {len(big)} |")

    # The same null comparison, over boots against reps-only, from report.md
    # (compare.csv has only the interval over boots).
    counts = null_from_report(full + "/report.md")
    if counts:
        print()
        print(f"The same {counts[0]} settings of this run with the reps-only interval instead "
              f"(report.md's column, all boots' reps pooled): {counts[1]} flagged.")


def excludes_one(cell):
    lo, hi = (float(x) for x in cell[cell.index("[") + 1:cell.index("]")].split(","))
    return lo > 1 or hi < 1


def null_from_report(path):
    n = reps = 0
    label = cols = None
    with open(path) as f:
        for line in f:
            if line.startswith("## "):
                label = line[3:].split(" vs ")[0].strip()
                continue
            if not line.startswith("|"):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if "region" in cells:
                cols = cells
                continue
            if label != "base-pages" or not cols or "reps-only CI" not in cols or cells[0].startswith("-"):
                continue
            row = dict(zip(cols, cells))
            if row.get("region") not in ("anon", "thp", "hugetlb"):
                continue
            n += 1
            reps += excludes_one(row["reps-only CI"])
    return (n, reps) if n else None


if __name__ == "__main__":
    main()
