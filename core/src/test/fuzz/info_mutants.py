#!/usr/bin/env python3
"""Runs fresh NIfTI mutants through `noddi info` and counts what happens (docs/reliability.md).

    python3 core/src/test/fuzz/info_mutants.py [--count 1000] [--seed 14] [--jar app/target/noddi-all.jar]

Each mutant starts from one of the valid seed files of NiftiFuzzTest (NIfTI-1 and -2, both byte
orders, plain and gzipped), gets 1 to 8 random byte edits (flips, random bytes, boundary values
such as 0, 0x7f, 0xff), sometimes a truncation, and for gzipped seeds the edits are made to the
unpacked bytes half of the time (so that they reach the header) and to the compressed bytes
otherwise. A seeded RNG makes the run repeatable. Outcomes:
  ok           exit 0
  error        exit 1 and exactly one line on stderr, "noddi: error: FILE: ..." naming the file
  error, file not named   the same without the file's name (a raw I/O message, for example)
  internal error          one line, but a Java exception the code did not expect
  stack trace  a Java stack trace anywhere in the output
  oom          "OutOfMemoryError" or "out of memory" in the output
  hang         no exit within --timeout seconds
  other        anything else (another exit code, several lines)
"""
import argparse
import collections
import concurrent.futures
import glob
import gzip
import os
import random
import subprocess
import sys
import tempfile

SEEDS = "core/src/test/resources/org/noddildm/core/io/NiftiFuzzTestInputs/readsAnyBytesOrRefusesThem"
BOUNDARY = [0x00, 0x01, 0x7f, 0x80, 0xff]


def mutate(data, rng):
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not b:
            break
        i = rng.randrange(len(b))
        kind = rng.random()
        if kind < 0.4:
            b[i] ^= 1 << rng.randrange(8)
        elif kind < 0.7:
            b[i] = rng.randrange(256)
        else:
            b[i] = rng.choice(BOUNDARY)
    if rng.random() < 0.1:
        b = b[:rng.randrange(len(b) + 1)]
    return bytes(b)


def classify(proc_rc, out, err, path):
    text = out + err
    if "OutOfMemoryError" in text or "out of memory" in text:
        return "oom"
    if "\tat " in text or "Exception in thread" in text:
        return "stack trace"
    if proc_rc == 0:
        return "ok"
    lines = [l for l in err.splitlines() if l.strip()]
    if proc_rc == 1 and len(lines) == 1 and lines[0].startswith("noddi: "):
        if "(an internal error" in lines[0]:
            return "internal error"
        return "error" if path in lines[0] else "error, file not named"
    return "other"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--jar", default="app/target/noddi-all.jar")
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--java-opts", default="-Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    seeds = sorted(f for f in glob.glob(SEEDS + "/*") if os.path.basename(f).startswith("nifti"))
    if not seeds:
        sys.exit("no seed files under " + SEEDS + ": run from the repository root")
    rng = random.Random(args.seed)
    counts = collections.Counter()
    examples = {}
    with tempfile.TemporaryDirectory() as tmp:
        # all mutants first, from one RNG, so that the run does not depend on --jobs
        mutants = []
        for k in range(args.count):
            seed = rng.choice(seeds)
            data = open(seed, "rb").read()
            if seed.endswith(".gz") and rng.random() < 0.5:
                data = gzip.compress(mutate(gzip.decompress(data), rng), mtime=0)
            else:
                data = mutate(data, rng)
            path = os.path.join(tmp, "m%04d.nii" % k + (".gz" if seed.endswith(".gz") else ""))
            with open(path, "wb") as f:
                f.write(data)
            mutants.append((seed, path, data))

        def run(path):
            cmd = ["java", *args.java_opts.split(), "-Dai.djl.offline=true", "-jar", args.jar,
                   "info", path]
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
                return classify(p.returncode, p.stdout, p.stderr, path), \
                    p.stderr.strip().splitlines()[:3]
            except subprocess.TimeoutExpired:
                return "hang", []

        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            results = pool.map(run, [m[1] for m in mutants])
            for k, ((seed, path, data), (outcome, detail)) in enumerate(zip(mutants, results)):
                counts[outcome] += 1
                if outcome not in ("ok", "error"):
                    keep = os.path.join("target", "mutants", outcome.replace(" ", "-"))
                    os.makedirs(keep, exist_ok=True)
                    with open(os.path.join(keep, os.path.basename(path)), "wb") as f:
                        f.write(data)
                examples.setdefault(outcome, (os.path.basename(seed), detail))
                if (k + 1) % 100 == 0:
                    print("%d mutants: %s" % (k + 1, dict(counts)), file=sys.stderr, flush=True)
    order = ["ok", "error", "error, file not named", "internal error", "stack trace", "oom",
             "hang", "other"]
    print("%d mutants (seed %d): " % (args.count, args.seed)
          + ", ".join("%s %d" % (o, counts[o]) for o in order))
    for outcome, (seed, detail) in examples.items():
        print("  first %s (from %s): %s" % (outcome, seed, " | ".join(detail)))
    return 0 if all(counts[o] == 0 for o in order[2:]) else 1


if __name__ == "__main__":
    sys.exit(main())
