#!/usr/bin/env bash
# Makes the two fonts the social cards are drawn with: DejaVu Sans (Book and Bold) from Debian's
# fonts-dejavu-core 2.37, cut down to Latin text and common punctuation so the binary stays small.
# Run it from this directory; it needs fonts-dejavu-core and python3, and makes its own venv.
set -euo pipefail
src=${DEJAVU_DIR:-$(dirname "$(dpkg -L fonts-dejavu-core | grep '/DejaVuSans.ttf$')")}
venv=$(mktemp -d -t fonttools.XXXXXX)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet fonttools==4.68.0
# Basic Latin, Latin-1, Latin Extended-A, general punctuation, currency, arrows, maths operators.
unicodes="U+0020-007E,U+00A0-017F,U+2010-205E,U+20AC,U+2190-21FF,U+2200-22FF"
for face in DejaVuSans DejaVuSans-Bold; do
  "$venv/bin/pyftsubset" "$src/$face.ttf" --unicodes="$unicodes" \
    --layout-features='kern,liga' --no-hinting --desubroutinize \
    --output-file="$face.subset.ttf"
done
