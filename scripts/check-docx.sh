#!/usr/bin/env bash
# Turn the 回头看 通报 and the year report into PDF with LibreOffice and into PNG pages, for a person
# to look at (page size, margins, 22 lines of 28 characters, fonts, page numbers, tables).
# Not run by the test suite. The PDF is of a preview copy (see preview below); the .docx is as written. Needs gwgk on PATH, soffice (LibreOffice) and pdftoppm (poppler-utils).
# Usage: scripts/check-docx.sh [输出目录]   (default: ./check-docx)
set -euo pipefail
command -v soffice >/dev/null || { echo "没有安装 LibreOffice(soffice),无法检查"; exit 2; }
command -v pdftoppm >/dev/null || { echo "没有安装 pdftoppm(poppler-utils),无法检查"; exit 2; }
out=$(realpath -m "${1:-check-docx}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
export HOME="$work"   # a private LibreOffice profile
here=$(pwd)
# the repository's demo workspace (four sample ledgers) when run from it, else a fresh one
if [ -f "$here/data/tasks.yaml" ]; then export GWGK_WORKSPACE="$here"; else gwgk init "$work/ws" > /dev/null; export GWGK_WORKSPACE="$work/ws"; fi

gwgk overdue --as-of 2021-10-08 --format docx --output "$out/回头看通报-{date}.docx" || [ $? -eq 1 ]
gwgk report --as-of 2021-10-08 --format docx --output "$out/年度汇总-{date}.docx" || [ $? -eq 1 ]
python=$(dirname "$(command -v gwgk)")/python
# LibreOffice does not read a negative w:charSpace of the character grid as Word and WPS do (it spreads
# every line to about 15 characters), so the preview is made from a copy whose grid keeps the 22 lines
# and drops the 0.2 pt a character that Word takes off to fit 28 characters in a line.
preview() {
  "$python" - "$1" "$2" <<'PY'
import re, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as dst:
    for item in src.infolist():
        data = src.read(item)
        if item.filename == "word/document.xml":
            data = re.sub(rb'w:charSpace="-?\d+"', b'w:charSpace="0"', data)
        dst.writestr(item, data)
PY
}
for doc in "$out"/回头看通报-2021-10-08.docx "$out"/年度汇总-2021-10-08.docx; do
  mkdir -p "$work/preview"
  preview "$doc" "$work/preview/$(basename "$doc")"
  soffice --headless --convert-to pdf --outdir "$out" "$work/preview/$(basename "$doc")" > /dev/null 2>&1
  pdf="${doc%.docx}.pdf"
  pdftoppm -r 60 -png "$pdf" "${doc%.docx}-页"
  pages=$(ls "${doc%.docx}"-页-*.png | wc -l)
  echo "$(basename "$pdf"):$pages 页,PNG 在 $out"
done
if command -v pdffonts >/dev/null; then
  echo "PDF 中实际使用的字体(没装公文字体时是替代字体):"
  pdffonts "$out/回头看通报-2021-10-08.pdf" | tail -n +3 | awk '{print "  " $1}' | sort -u
fi
