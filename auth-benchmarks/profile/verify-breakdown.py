#!/usr/bin/env python3
"""Splits the samples of a verification into its parts, from an async-profiler collapsed profile.

Usage: verify-breakdown.py COLLAPSED_FILE MEAN_NS

COLLAPSED_FILE is what JMH's async profiler writes with output=collapsed (one stack per line,
frames separated by ';', then a space and a sample count); MEAN_NS is the benchmark's mean time per
operation in the same run. Only stacks through TokenVerifier.verify count. Each stack goes to the
first part below whose frames it contains; a part's time is its share of the samples times MEAN_NS.
"""
import collections
import sys

PARTS = [
    ("hash comparison (four longs)", ["SecretHasher.equalHashes"]),
    ("SHA-256 (MessageDigest update + digest)", ["SecretHasher.digest", "MessageDigest"]),
    ("format check (copy, base62, CRC32, id)", ["TokenFormat.parse"]),
    ("clock read", ["[vdso]", "clock_gettime", "currentTimeMillis", "InstantSource"]),
    ("token cache lookup", ["TokenCache.token"]),
    ("corp state lookup", ["TokenCache.corpState"]),
    ("stats counter (LongAdder)", ["Counters."]),
    ("usage (last use, address)", ["UsageRecorder", "CachedToken.isNewestAddress"]),
    ("email checks", ["Emails."]),
    ("per-thread scratch", ["Scratch.get", "ThreadLocal"]),
    ("allow lists", ["IpAllowList", "ownListAllows"]),
    ("policy", ["ExpiryPolicy", "permits"]),
]


def part_of(stack):
    for name, markers in PARTS:
        if any(marker in stack for marker in markers):
            return name
    return "rest of verify"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path, mean = sys.argv[1], float(sys.argv[2])
    total = 0
    parts = collections.Counter()
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if "TokenVerifier.verify" not in stack:
                continue
            total += int(count)
            parts[part_of(stack)] += int(count)
    if total == 0:
        sys.exit("no samples in TokenVerifier.verify in " + path)
    print(f"{total} samples in TokenVerifier.verify")
    for name, n in parts.most_common():
        print(f"{name:42s} {100 * n / total:5.1f}%  {mean * n / total:6.1f} ns")


if __name__ == "__main__":
    main()
