#!/usr/bin/env bash
# Release artifacts, the same on a laptop and in CI (.github/workflows/release.yml runs this):
#   scripts/release.sh OUTDIR
# builds all formats with `make book` (SOURCE_DATE_EPOCH: the commit's time unless set, so two
# runs give identical bytes), validates them with `onephone-build check`, and writes to OUTDIR
# the EPUBs (the generic one and each store's), the PDF, a reproducible zip of the web edition
# and SHA256SUMS.
# VENV (default .venv) is passed on to make.
set -euo pipefail

out="${1:?usage: scripts/release.sh OUTDIR}"
cd "$(dirname "$0")/.."
venv="${VENV:-.venv}"

export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}"
export TZ=UTC LC_ALL=C.UTF-8

make book VENV="$venv"
"$venv/bin/onephone-build" check -m manuscript -o build

shopt -s nullglob
pdfs=(build/*.pdf)
[ "${#pdfs[@]}" -eq 1 ] || { echo "error: expected one PDF in build/, found ${#pdfs[@]}" >&2; exit 1; }
slug="$(basename "${pdfs[0]}" .pdf)"
epubs=()
for f in build/"$slug".epub build/"$slug".*.epub; do epubs+=("$(basename "$f")"); done

mkdir -p "$out"
rm -f "$out/$slug".*epub "$out/$slug.pdf" "$out/$slug-web.zip" "$out/SHA256SUMS"
for f in "${epubs[@]}"; do cp "build/$f" "$out/"; done
cp "build/$slug.pdf" "$out/"
"$venv/bin/python" scripts/repro_zip.py build/html "$out/$slug-web.zip" "$slug-web"
(cd "$out" && sha256sum "${epubs[@]}" "$slug.pdf" "$slug-web.zip" > SHA256SUMS)
echo "release artifacts in $out:"
cat "$out/SHA256SUMS"
