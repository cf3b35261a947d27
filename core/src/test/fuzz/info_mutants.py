#!/usr/bin/env python3
"""Runs fresh NIfTI mutants through `noddi info` and counts what happens (docs/reliability.md).

    python3 core/src/test/fuzz/info_mutants.py [--count 1000] [--seed 14] [--jar app/target/noddi-all.jar]
        [--nibabel]

Each mutant starts from one of the valid seed files of NiftiFuzzTest (NIfTI-1 and -2, both byte
orders, plain and gzipped), gets 1 to 8 random byte edits (flips, random bytes, boundary values
such as 0, 0x7f, 0xff), sometimes a truncation, and for gzipped seeds the edits are made to the
unpacked bytes half of the time (so that they reach the header) and to the compressed bytes
otherwise. A seeded RNG makes the run repeatable. Outcomes:
  ok           exit 0
  error        exit 1 and exactly one line on stderr, "noddi: error: FILE: ..." naming the file
               (besides "noddi: warning: FILE: ..." lines about the header)
  error, file not named   the same without the file's name (a raw I/O message, for example)
  internal error          one line, but a Java exception the code did not expect
  stack trace  a Java stack trace anywhere in the output
  oom          "OutOfMemoryError" or "out of memory" in the output
  hang         no exit within --timeout seconds
  other        anything else (another exit code, several lines)

With --nibabel (run it with a Python that has nibabel, such as Debian's /usr/bin/python3), each
mutant is also loaded with nibabel, and what `noddi info` printed is compared with what nibabel
reads from the same bytes: the dimensions, the affine (when the sform or qform gives it; with
both codes 0 the two fall back differently by design), and the minimum, maximum and mean of the
finite scaled values and the count of non-finite ones. Agreements:
  same              both read it, and agree (values beyond the float32 range, which noddi
                    reads as +/-Inf with a warning, compared with nibabel's cast to float32)
  DIFFERENT         both read it, and disagree: a silent wrong read on one side
  nibabel refuses   noddi reads it (warning if it must), nibabel raises
  noddi refuses     noddi refuses it, nibabel reads it
  both refuse
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
MAX_NIBABEL_BYTES = 1 << 28


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
    # warnings about headers that are read anyway come on lines of their own before an error
    lines = [l for l in err.splitlines() if l.strip() and not l.startswith("noddi: warning: ")]
    if proc_rc == 1 and len(lines) == 1 and lines[0].startswith("noddi: "):
        if "(an internal error" in lines[0]:
            return "internal error"
        return "error" if path in lines[0] else "error, file not named"
    return "other"


def nibabel_view(path):
    """What nibabel reads: (view, None) or (None, reason)."""
    import warnings
    import nibabel as nib
    import numpy as np
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            img = nib.load(path)
            need = int(np.prod([int(x) for x in img.shape], dtype=object)) * 8
            if need > MAX_NIBABEL_BYTES:
                # a header that claims more than this process should allocate: nibabel would
                # try (and the kernel would kill us), so say what it claims instead
                return None, "not read: nibabel would allocate %d bytes" % need
            data = np.asanyarray(img.dataobj).astype(np.float64)
            hdr = img.header
            coded = int(hdr["sform_code"]) > 0 or int(hdr["qform_code"]) > 0
            affine = np.asarray(img.affine, dtype=np.float64) if coded else None
    except Exception as e:  # any refusal counts as one
        return None, "%s: %s" % (type(e).__name__, str(e).splitlines()[0][:120] if str(e) else "")
    view = {"shape": tuple(int(x) for x in img.shape), "affine": affine}
    # as read in double precision, and as a float32 reader must see it (|x| > 3.4e38 -> Inf)
    for suffix, d in (("", data), ("32", data.astype(np.float32).astype(np.float64))):
        fin = d[np.isfinite(d)]
        view["values" + suffix] = (float(fin.min()), float(fin.max()), float(fin.mean())) \
            if fin.size else None
        view["nonfinite" + suffix] = int(d.size - fin.size)
    return view, None


def noddi_view(out):
    """What `noddi info` printed, in the same terms as nibabel_view."""
    lines = out.splitlines()
    v = {"shape": None, "affine": None, "values": None, "nonfinite": 0}
    for i, line in enumerate(lines):
        key, _, rest = line.partition(" ")
        rest = rest.strip()
        if key == "dimensions":
            v["shape"] = tuple(int(x) for x in rest.split(" x "))
        elif key == "affine":
            v["affine"] = [[float(x) for x in lines[i + k].split()] for k in range(1, 5)]
        elif key == "values" and rest.startswith("min"):
            parts = dict(p.strip().split(" ", 1) for p in rest.split(","))
            v["values"] = (float(parts["min"]), float(parts["max"]), float(parts["mean"]))
        elif key == "non-finite":
            v["nonfinite"] = int(rest.split()[0])
    return v


def compare(ours, theirs, float32_warned=False):
    """None when they agree, else what differs. When noddi warned that values overflow its
    float32, they are compared with nibabel's values cast to float32."""
    if float32_warned:
        theirs = dict(theirs, values=theirs["values32"], nonfinite=theirs["nonfinite32"])
    import math

    def close(a, b, scale):
        return abs(a - b) <= 1e-5 * max(scale, 1e-30)
    shape = theirs["shape"]
    # nibabel keeps trailing dimensions of 1 as given; so does noddi info
    if ours["shape"] != shape:
        return "dimensions %s vs nibabel %s" % (ours["shape"], shape)
    if theirs["affine"] is not None:
        a = ours["affine"]
        for r in range(4):
            for c in range(4):
                x, y = a[r][c], float(theirs["affine"][r][c])
                if not (math.isfinite(x) and abs(x - y) <= 1e-3 + 1e-5 * abs(y)):
                    return "affine[%d][%d] %r vs nibabel %r" % (r, c, x, y)
    if ours["nonfinite"] != theirs["nonfinite"]:
        return "%d non-finite values vs nibabel %d" % (ours["nonfinite"], theirs["nonfinite"])
    if (ours["values"] is None) != (theirs["values"] is None):
        return "values %s vs nibabel %s" % (ours["values"], theirs["values"])
    if ours["values"] is not None:
        scale = max(abs(theirs["values"][0]), abs(theirs["values"][1]))
        for name, x, y in zip(("min", "max", "mean"), ours["values"], theirs["values"]):
            if not close(x, y, scale):
                return "%s %r vs nibabel %r" % (name, x, y)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--jar", default="app/target/noddi-all.jar")
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--java-opts", default="-Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--nibabel", action="store_true",
                    help="also compare every mutant with what nibabel reads")
    args = ap.parse_args()
    seeds = sorted(f for f in glob.glob(SEEDS + "/*") if os.path.basename(f).startswith("nifti"))
    if not seeds:
        sys.exit("no seed files under " + SEEDS + ": run from the repository root")
    rng = random.Random(args.seed)
    counts = collections.Counter()
    agreement = collections.Counter()
    agreement_examples = {}
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
                    p.stderr.strip().splitlines(), p.stdout
            except subprocess.TimeoutExpired:
                return "hang", [], ""

        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            results = pool.map(run, [m[1] for m in mutants])
            for k, ((seed, path, data), (outcome, detail, out)) in enumerate(
                    zip(mutants, results)):
                counts[outcome] += 1
                if args.nibabel and outcome in ("ok", "error"):
                    theirs, why = nibabel_view(path)
                    if outcome == "ok" and theirs is not None:
                        diff = compare(noddi_view(out), theirs,
                                       any("beyond the float32 range" in d for d in detail))
                        verdict, note = ("DIFFERENT", diff) if diff else ("same", "")
                    elif outcome == "ok":
                        verdict, note = "nibabel refuses", why + " | " + " ".join(detail[:3])
                    else:
                        verdict, note = ("noddi refuses", " ".join(detail[:3])) if theirs \
                            else ("both refuse", "")
                    agreement[verdict] += 1
                    if verdict == "DIFFERENT" or verdict.endswith("refuses"):
                        agreement_examples.setdefault(verdict, []).append(
                            "%s (from %s): %s" % (os.path.basename(path),
                                                  os.path.basename(seed), note))
                    if verdict == "DIFFERENT":
                        keep = os.path.join("target", "mutants", "different")
                        os.makedirs(keep, exist_ok=True)
                        with open(os.path.join(keep, os.path.basename(path)), "wb") as f:
                            f.write(data)
                if outcome not in ("ok", "error"):
                    keep = os.path.join("target", "mutants", outcome.replace(" ", "-"))
                    os.makedirs(keep, exist_ok=True)
                    with open(os.path.join(keep, os.path.basename(path)), "wb") as f:
                        f.write(data)
                examples.setdefault(outcome, (os.path.basename(seed), detail[:3]))
                if (k + 1) % 100 == 0:
                    print("%d mutants: %s" % (k + 1, dict(counts)), file=sys.stderr, flush=True)
    order = ["ok", "error", "error, file not named", "internal error", "stack trace", "oom",
             "hang", "other"]
    print("%d mutants (seed %d): " % (args.count, args.seed)
          + ", ".join("%s %d" % (o, counts[o]) for o in order))
    for outcome, (seed, detail) in examples.items():
        print("  first %s (from %s): %s" % (outcome, seed, " | ".join(detail)))
    if args.nibabel:
        print("against nibabel: " + ", ".join("%s %d" % (v, agreement[v]) for v in
              ["same", "DIFFERENT", "nibabel refuses", "noddi refuses", "both refuse"]))
        for verdict, rows in agreement_examples.items():
            print("  %s: %d" % (verdict, len(rows)))
            for r in rows[:40]:
                print("    " + r)
    bad = any(counts[o] for o in order[2:]) or agreement["DIFFERENT"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
