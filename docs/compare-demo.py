#!/usr/bin/env python3
"""Compare two `noddi demo` output folders file by file (issue 25: a restructuring must leave
the demo's files byte-identical).

    python3 docs/compare-demo.py OLD/noddi-demo NEW/noddi-demo

Images, maps and scores must be equal byte for byte. The files that record when and by which
build they were made may differ only there: ISO time stamps, the seconds a step took, the
voxels per second, the git commit and whether the tree was dirty, and the folder the demo was
written to (the two runs live in different folders). Exit status 1 if anything else differs.
"""
import json
import os
import re
import sys

STAMP = re.compile(rb'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z')
RUN_FIELDS = {"created", "date", "seconds", "voxelsPerSecond", "Commit", "UncommittedChanges"}


def files(root):
    out = {}
    for d, _, names in os.walk(root):
        for n in names:
            out[os.path.relpath(os.path.join(d, n), root)] = os.path.join(d, n)
    return out


def scrub(value, root):
    if isinstance(value, dict):
        return {k: ("*" if k in RUN_FIELDS else scrub(v, root)) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, root) for v in value]
    if isinstance(value, str):
        return value.replace(os.path.abspath(root), "ROOT")
    return value


def main(a, b):
    fa, fb = files(a), files(b)
    different = 0
    for k in sorted(set(fa) | set(fb)):
        if k not in fa or k not in fb:
            print("only in one of them:", k)
            different += 1
            continue
        x, y = open(fa[k], "rb").read(), open(fb[k], "rb").read()
        if x == y:
            continue
        if k.endswith(".json"):
            same = scrub(json.loads(x), a) == scrub(json.loads(y), b)
        else:
            same = STAMP.sub(b"T", x).replace(os.path.abspath(a).encode(), b"R") \
                == STAMP.sub(b"T", y).replace(os.path.abspath(b).encode(), b"R")
        print(("same but for run time, date and build: " if same else "DIFFERENT: ") + k)
        different += 0 if same else 1
    print(f"{len(fa)} files, {different} different")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
