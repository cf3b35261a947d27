#!/usr/bin/env python3
"""Writes the seed corpus of the Jazzer fuzz tests (NiftiFuzzTest, GradientFuzzTest).

Run from the repository root: python3 core/src/test/fuzz/make_seeds.py
Small valid files of each kind plus a few known-bad mutants; files that the fuzzer found
(crash-*, timeout-*, oom-*) sit beside them and are not touched here.
"""
import gzip
import math
import os
import struct

ROOT = "core/src/test/resources/org/noddildm/core/io"


def nifti1(dims, dtype, bitpix, data, endian="<", slope=0.0, inter=0.0, vox_offset=352.0,
           qform=0, sform=1, quat=(0.0, 0.0, 0.0), srow=None):
    h = bytearray(348)
    e = endian
    struct.pack_into(e + "i", h, 0, 348)
    h[38] = ord("r")
    d = [len(dims)] + list(dims) + [1] * (7 - len(dims))
    struct.pack_into(e + "8h", h, 40, *d)
    struct.pack_into(e + "hh", h, 70, dtype, bitpix)
    struct.pack_into(e + "8f", h, 76, 1.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0)
    struct.pack_into(e + "fff", h, 108, vox_offset, slope, inter)
    h[123] = 2 | 8
    struct.pack_into(e + "hh", h, 252, qform, sform)
    struct.pack_into(e + "6f", h, 256, *quat, -10.0, -20.0, 5.0)
    srow = srow or [[2, 0, 0, -10], [0, 2, 0, -20], [0, 0, 2, 5]]
    for r in range(3):
        struct.pack_into(e + "4f", h, 280 + 16 * r, *srow[r])
    h[344:348] = b"n+1\0"
    return bytes(h) + b"\0\0\0\0" + data


def nifti2(dims, dtype, bitpix, data, endian="<", vox_offset=544, slope=0.0, inter=0.0):
    h = bytearray(540)
    e = endian
    struct.pack_into(e + "i", h, 0, 540)
    h[4:12] = b"n+2\0\r\n\x1a\n"
    struct.pack_into(e + "hh", h, 12, dtype, bitpix)
    d = [len(dims)] + list(dims) + [1] * (7 - len(dims))
    struct.pack_into(e + "8q", h, 16, *d)
    struct.pack_into(e + "8d", h, 104, 1.0, 1.5, 1.5, 1.5, 1.0, 1.0, 1.0, 1.0)
    struct.pack_into(e + "q", h, 168, vox_offset)
    struct.pack_into(e + "dd", h, 176, slope, inter)
    struct.pack_into(e + "ii", h, 344, 0, 1)
    srow = [[1.5, 0, 0, 1], [0, 1.5, 0, 2], [0, 0, 1.5, 3]]
    for r in range(3):
        struct.pack_into(e + "4d", h, 400 + 32 * r, *srow[r])
    struct.pack_into(e + "i", h, 500, 2 | 8)
    return bytes(h) + b"\0\0\0\0" + data


def values(fmt, n, endian="<"):
    return struct.pack(endian + fmt * n, *[(i * 7) % 23 for i in range(n)])


def write(folder, name, content):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(content)


def main():
    valid = {
        "nifti1-le-float32-3x2x2": nifti1((3, 2, 2), 16, 32, values("f", 12)),
        "nifti1-be-int16-scaled-2x2x2x2": nifti1(
            (2, 2, 2, 2), 4, 16, values("h", 16, ">"), ">", slope=2.0, inter=1.0, qform=1,
            sform=0, quat=(0.0, 0.0, 0.7071068)),
        "nifti1-le-uint8-2x2": nifti1((2, 2), 2, 8, values("B", 4)),
        "nifti2-le-float64-2x2x2": nifti2((2, 2, 2), 64, 64, values("d", 8)),
        "nifti2-be-uint16-2x2x1x3": nifti2((2, 2, 1, 3), 512, 16, values("H", 12, ">"), ">"),
    }
    base = valid["nifti1-le-float32-3x2x2"]
    mutants = {
        "mutant-truncated-data": base[:-5],
        "mutant-dim0-zero": base[:40] + struct.pack("<h", 0) + base[42:],
        "mutant-datatype-unknown": base[:70] + struct.pack("<h", 999) + base[72:],
        "mutant-vox-offset-inf": base[:108] + struct.pack("<f", math.inf) + base[112:],
        "mutant-vox-offset-nan": base[:108] + struct.pack("<f", math.nan) + base[112:],
        "mutant-sform-nan": base[:280] + struct.pack("<f", math.nan) + base[284:],
        "mutant-huge-dims": nifti1((1290, 1290, 1290), 16, 32, b""),
        "mutant-nifti2-dim-2pow32": nifti2((10, 9, 2 ** 32 + 7), 2, 8, bytes(64)),
        "mutant-nifti2-vox-offset-huge": nifti2((2, 2, 2), 2, 8, bytes(8),
                                                vox_offset=2 ** 62),
        "mutant-nifti2-many-volumes": nifti2((1, 1, 1, 2 ** 33), 2, 8, bytes(8)),
    }
    raw = f"{ROOT}/NiftiFuzzTestInputs/readsAnyBytesOrRefusesThem"
    gz = f"{ROOT}/NiftiFuzzTestInputs/readsGzippedBytesOrRefusesThem"
    magic = f"{ROOT}/NiftiFuzzTestInputs/detectsGzipByItsMagicBytes"
    for name, content in {**valid, **mutants}.items():
        write(raw, name + ".nii", content)
        write(gz, name + ".nii", content)  # the test gzips it
    for name, content in valid.items():
        write(raw, name + ".nii.gz", gzip.compress(content, mtime=0))
    write(raw, "mutant-gzip-huge-dims.nii.gz", gzip.compress(mutants["mutant-huge-dims"], mtime=0))
    write(magic, "gzip", gzip.compress(valid["nifti1-le-uint8-2x2"], mtime=0))
    write(magic, "plain", valid["nifti1-le-uint8-2x2"])
    write(magic, "magic-only", b"\x1f\x8b")
    write(magic, "half-magic", b"\x1f")

    fsl = f"{ROOT}/GradientFuzzTestInputs/readsFslPairOrRefusesIt"
    write(fsl, "rows", b"0 1000 1000 2000\n\0"
          b"0 1 0 0.57735\n0 0 1 0.57735\n0 0 0 0.57735\n")
    write(fsl, "columns-nan-b0", b"0\n1000\n2000\n\0nan nan nan\n1 0 0\n0 0.6 0.8\n")
    write(fsl, "commas-comments", b"# b\n5,995,2005\n\0# v\n1,0,0\n0,1,0\n0,0,1\n")
    write(fsl, "negative-b", b"0 -1000\n\0" b"0 1\n0 0\n0 0\n")
    mrtrix = f"{ROOT}/GradientFuzzTestInputs/readsMrtrixTableOrRefusesIt"
    write(mrtrix, "table", b"# x y z b\n0 0 0 0\n1 0 0 1000\n0 1 0 1000\n0 0.6 0.8 2000\n")
    write(mrtrix, "tabs-and-exponents", b"0\t0\t0\t0\n1e0\t0\t0\t1.0e3\n0 0 1 3000.0\n")
    write(mrtrix, "three-columns", b"1 0 0\n")


if __name__ == "__main__":
    main()
