#!/usr/bin/env bash
# The fault-injection cases of issue 14 that need no model, no kill and no full disk, run on the
# jar: prints per case the exit code and the first stderr line (docs/reliability.md).
#   bash core/src/test/fuzz/fault_cases.sh [JAR]    (from the repository root)
set -uo pipefail
jar="$(realpath "${1:-app/target/noddi-all.jar}")"
seeds="$(realpath core/src/test/resources/org/noddildm/core/io/NiftiFuzzTestInputs/readsAnyBytesOrRefusesThem)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; cd "$work"
noddi() { java -Xmx2g -Dai.djl.offline=true -jar "$jar" --no-progress "$@"; }
case_() { # name, then the command
  local name="$1"; shift
  "$@" >out.txt 2>err.txt; local rc=$?
  local lines; lines=$(grep -c . err.txt)
  printf '%s | exit %s | %s stderr line(s) | %s\n' "$name" "$rc" "$lines" "$(head -1 err.txt | cut -c1-160)"
}
noddi simulate --out sim --subjects 1 --size 16 --seed 1 >/dev/null 2>&1
s=sim/sub-0001; d=$s/dwi_lowres
# float32 helpers: NaN everywhere, or one NaN and one Inf, in a copy of a NIfTI file
python3 - "$d.nii.gz" "$s/ndi.nii.gz" <<'PY'
import gzip, struct, sys
dwi = bytearray(gzip.decompress(open(sys.argv[1], "rb").read()))
off = int(struct.unpack_from("<f", dwi, 108)[0])
nan = bytearray(dwi); nan[off:] = struct.pack("<f", float("nan")) * ((len(dwi) - off) // 4)
open("dwi_nan.nii", "wb").write(nan)
ndi = bytearray(gzip.decompress(open(sys.argv[2], "rb").read()))
off = int(struct.unpack_from("<f", ndi, 108)[0])
struct.pack_into("<ff", ndi, off + 4 * 100, float("nan"), float("inf"))
open("ndi_naninf.nii", "wb").write(ndi)
base = bytearray(gzip.decompress(open(sys.argv[2], "rb").read()))
q = bytearray(base); struct.pack_into("<hfff", q, 252, 1, 2.0, 2.0, 2.0); open("quat.nii", "wb").write(q)
si = bytearray(base); struct.pack_into("<ff", si, 112, 2.0, float("nan")); open("sclnan.nii", "wb").write(si)
PY
cp "$d.bval" neg.bval; sed -i 's/^[0-9]*/-1000/' neg.bval
case_ "1 info, 75-byte-class gzip saying 1290^3" noddi info "$seeds/mutant-gzip-huge-dims.nii.gz"
case_ "1 view, the same file" noddi view "$seeds/mutant-gzip-huge-dims.nii.gz" --out v.png
case_ "2 info, NIfTI-2 dim 2^32+7" noddi info "$seeds/mutant-nifti2-dim-2pow32.nii"
case_ "4 fit, all-NaN scan" noddi fit --dwi dwi_nan.nii --bval "$d.bval" --bvec "$d.bvec" --out nan/
case_ "4 evaluate, one NaN and one Inf" noddi evaluate --pred ndi_naninf.nii --ref "$s/ndi.nii.gz"
case_ "4 degrade, all-NaN scan" noddi degrade --dwi dwi_nan.nii --bval "$d.bval" --bvec "$d.bvec" --out deg/
cp "$s/ndi.nii.gz" pred.nii.gz; before=$(sha256sum pred.nii.gz)
case_ "6 evaluate --json = --pred" noddi evaluate --pred pred.nii.gz --ref "$s/ndi.nii.gz" --json pred.nii.gz
[ "$before" = "$(sha256sum pred.nii.gz)" ] && echo "  (pred.nii.gz unchanged)" || echo "  (pred.nii.gz CHANGED)"
case_ "6 resample --out = --in" noddi resample --in pred.nii.gz --like "$s/ndi.nii.gz" --out pred.nii.gz
case_ "7 info, vox_offset Inf" noddi info "$seeds/mutant-vox-offset-inf.nii"
printf '\x1f\x8b\x08\x00' > head.nii.gz
case_ "7 info, 4-byte gzip header" noddi info head.nii.gz
case_ "7 info, negative b-value" noddi info "$d.nii.gz" --bval neg.bval --bvec "$d.bvec"
case_ "8 info, quaternion out of range (b=c=d=2)" noddi info quat.nii
case_ "8 info, scl_inter NaN" noddi info sclnan.nii
case_ "8 info, vox_offset inside the header" noddi info "$seeds/mutant-vox-offset-nan.nii"
case_ "9 usage error (fit without --dwi)" noddi fit --out x/
case_ "9 bare noddi" java -Dai.djl.offline=true -jar "$jar"
case_ "9 unknown command" noddi frobnicate
