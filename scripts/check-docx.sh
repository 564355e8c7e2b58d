#!/usr/bin/env bash
# Turn the 回头看 通报 and the year report into PDF with LibreOffice and into PNG pages, for a person
# to look at (page size, margins, 22 lines of 28 characters, fonts, page numbers, tables).
# Not run by the test suite. Needs gwgk on PATH, soffice (LibreOffice) and pdftoppm (poppler-utils).
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
for doc in "$out"/回头看通报-2021-10-08.docx "$out"/年度汇总-2021-10-08.docx; do
  soffice --headless --convert-to pdf --outdir "$out" "$doc" > /dev/null 2>&1
  pdf="${doc%.docx}.pdf"
  pdftoppm -r 60 -png "$pdf" "${doc%.docx}-页"
  pages=$(ls "${doc%.docx}"-页-*.png | wc -l)
  echo "$(basename "$pdf"):$pages 页,PNG 在 $out"
done
if command -v pdffonts >/dev/null; then
  echo "PDF 中实际使用的字体(没装公文字体时是替代字体):"
  pdffonts "$out/回头看通报-2021-10-08.pdf" | tail -n +3 | awk '{print "  " $1}' | sort -u
fi
