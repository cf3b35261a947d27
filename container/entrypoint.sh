#!/usr/bin/env bash
# Entry point of the noddi-ldm BIDS App container (Docker and Apptainer), following the
# BIDS-Apps convention:
#   <image> BIDS_DIR OUTPUT_DIR participant|group [options of noddi bids]
#   <image> noddi <command> [options]      any other noddi command (predict, fit, info, ...)
#   <image> --version | --help
# It runs the jar the image ships (NODDI_JAR), offline, and never builds anything. Unless
# JAVA_OPTS is set, the Java heap is sized from --mem-mb/--mem/--mem-gb (three quarters of it,
# leaving room for PyTorch's native memory), so that a scheduler's memory limit holds.
set -euo pipefail
jar="${NODDI_JAR:-/opt/noddi-ldm/noddi-all.jar}"
java_bin="${JAVA:-java}"
if [ ! -f "$jar" ]; then
  echo "noddi entrypoint: expected the jar at $jar, found none (set NODDI_JAR)" >&2
  exit 1
fi

# The job's memory in MB from the BIDS-Apps flags, or empty when none is given.
mem_mb() {
  local prev="" arg
  for arg in "$@"; do
    case "$prev" in
      --mem-mb|--mem_mb|--mem) printf '%s\n' "${arg%%.*}"; return ;;
      --mem-gb) awk -v g="$arg" 'BEGIN { printf "%d\n", g * 1024 }'; return ;;
    esac
    case "$arg" in
      --mem-mb=*|--mem_mb=*|--mem=*) v="${arg#*=}"; printf '%s\n' "${v%%.*}"; return ;;
      --mem-gb=*) awk -v g="${arg#*=}" 'BEGIN { printf "%d\n", g * 1024 }'; return ;;
    esac
    prev="$arg"
  done
}

opts=()
if [ -n "${JAVA_OPTS:-}" ]; then
  read -r -a opts <<< "$JAVA_OPTS"
else
  mb="$(mem_mb "$@")"
  if [[ "$mb" =~ ^[0-9]+$ ]] && [ "$mb" -ge 512 ]; then
    opts=("-Xmx$((mb * 3 / 4))m")
  fi
fi
# PyTorch's OpenMP threads wait passively: spinning threads slow a shared node down.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

case "${1:-}" in
  ""|-h|--help)
    exec "$java_bin" "${opts[@]}" -Dai.djl.offline=true -jar "$jar" bids --help ;;
  -v|--version)
    exec "$java_bin" "${opts[@]}" -Dai.djl.offline=true -jar "$jar" --version ;;
  noddi)
    shift
    exec "$java_bin" "${opts[@]}" -Dai.djl.offline=true -jar "$jar" "$@" ;;
  *)
    exec "$java_bin" "${opts[@]}" -Dai.djl.offline=true -jar "$jar" bids "$@" ;;
esac
