#!/usr/bin/env bash
# The `html` format opened in a real browser: Cambridgeshire's history is
# rendered to a page, headless Chromium takes a screenshot and dumps the DOM,
# and we check that
#   - the screenshot is not blank and shows each grade's colour, and
#   - the DOM holds one grid cell per (area, programme) pair and one graded
#     cell per grade on record, and the screen-reader table the same.
#
# Installs nothing: .ci/run installs Debian's `chromium` where it can. With
# no Chromium this prints SKIP and exits 0. Outputs (page, screenshot, DOM)
# are kept in $OUT (default: <target dir>/browser-check) for a look.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser="$b"; break; fi
done
if [ -z "$browser" ]; then
  echo "SKIP: browser check: no chromium on PATH (Debian: apt-get install chromium)"
  exit 0
fi

if ! command -v python3 >/dev/null 2>&1; then
  echo "SKIP: browser check: no python3 to read the screenshot and DOM"
  exit 0
fi

target="${CARGO_TARGET_DIR:-$root/target}"
out="${OUT:-$target/browser-check}"
mkdir -p "$out"
cargo build --quiet --locked
peelql="$target/debug/peelql"

query='grades in all where force = "cambs"'
"$peelql" --memory -c "$query" --format html > "$out/c.html"
"$peelql" --memory -c 'grades in all where force = "cambs" select theme, programme, grade' --format csv > "$out/c.csv"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
  --disable-sync --no-first-run --hide-scrollbars "--user-data-dir=$profile")
rm -f "$out/c.png"
timeout 120 "$browser" "${flags[@]}" --window-size=1100,1000 "--screenshot=$out/c.png" "file://$out/c.html" \
  > "$out/chromium.log" 2>&1 || true
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$out/c.html" > "$out/c.dom.html" 2>> "$out/chromium.log" || true
if [ ! -s "$out/c.png" ] || [ ! -s "$out/c.dom.html" ]; then
  echo "FAIL: chromium produced no screenshot or DOM; its log:" >&2
  tail -20 "$out/chromium.log" >&2
  exit 1
fi

python3 - "$out" <<'PY'
import csv, re, struct, sys, zlib

out = sys.argv[1]

# What the data says: a cell per (theme, programme), a graded cell per grade.
with open(f"{out}/c.csv", newline="") as f:
    rows = list(csv.DictReader(f))
themes = {r["theme"] for r in rows}
programmes = {r["programme"] for r in rows}
cells = len(themes) * len(programmes)
graded = sum(1 for r in rows if r["grade"])

# What the browser built.
dom = open(f"{out}/c.dom.html", encoding="utf-8").read()
visual = len(re.findall(r'<td class="cell ', dom))
visual_graded = len(re.findall(r'<td class="cell g-', dom))
start = dom.find('<table class="sr-only">')
plain = dom[start:dom.find("</table>", start)] if start >= 0 else ""
plain_cells = len(re.findall(r"<td>", plain))
problems = []
if visual != cells:
    problems.append(f"{visual} grid cells in the DOM, expected {cells}")
if visual_graded != graded:
    problems.append(f"{visual_graded} graded cells in the DOM, expected {graded}")
if plain_cells != cells:
    problems.append(f"{plain_cells} cells in the screen-reader table, expected {cells}")

# The screenshot: a PNG decoded with the standard library.
def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unsupported PNG {header}"
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    pixels, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        pixels.append(bytes(line))
        prev = line
    return width, height, bpp, pixels

width, height, bpp, pixels = read_png(f"{out}/c.png")
counts = {}
for line in pixels:
    for x in range(0, len(line), bpp):
        px = line[x:x + 3]
        counts[px] = counts.get(px, 0) + 1
total = width * height
background = max(counts.values())
if len(counts) < 20 or background > 0.97 * total:
    problems.append(f"the screenshot looks blank: {len(counts)} colours, {background / total:.0%} one colour")
# each grade's cell colour (see src/output/grid/html.rs), within a little
grade_colours = {"O": "12622f", "G": "8bcf86", "A": "f5c945", "RI": "f08a32", "I": "b81f2b"}
shown = {}
for code, hexa in grade_colours.items():
    want = bytes.fromhex(hexa)
    n = sum(c for px, c in counts.items() if all(abs(px[k] - want[k]) <= 4 for k in range(3)))
    shown[code] = n
    if n < 400:
        problems.append(f"grade {code}'s colour #{hexa} covers only {n} pixels")

print(f"browser check: {visual} grid cells ({visual_graded} graded) for {len(themes)} areas x "
      f"{len(programmes)} programmes; screenshot {width}x{height}, {len(counts)} colours; "
      + ", ".join(f"{k} {v}px" for k, v in shown.items()))
print(f"browser check: page, screenshot and DOM in {out}")
if problems:
    for p in problems:
        print(f"FAIL: {p}", file=sys.stderr)
    sys.exit(1)
print("browser check: ok")
PY
