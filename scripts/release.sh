#!/usr/bin/env bash
# Release artifacts, the same on a laptop and in CI (.github/workflows/release.yml runs this):
#   scripts/release.sh OUTDIR
# builds all formats with `make book` (SOURCE_DATE_EPOCH: the commit's time unless set, so two
# runs give identical bytes), validates them with `onephone-build check`, and writes to OUTDIR
# the EPUB, the PDF, a reproducible zip of the web edition and SHA256SUMS.
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
epubs=(build/*.epub)
[ "${#epubs[@]}" -eq 1 ] || { echo "error: expected one EPUB in build/, found ${#epubs[@]}" >&2; exit 1; }
slug="$(basename "${epubs[0]}" .epub)"

mkdir -p "$out"
rm -f "$out/$slug.epub" "$out/$slug.pdf" "$out/$slug-web.zip" "$out/SHA256SUMS"
cp "build/$slug.epub" "build/$slug.pdf" "$out/"
"$venv/bin/python" scripts/repro_zip.py build/html "$out/$slug-web.zip" "$slug-web"
(cd "$out" && sha256sum "$slug.epub" "$slug.pdf" "$slug-web.zip" > SHA256SUMS)
echo "release artifacts in $out:"
cat "$out/SHA256SUMS"
