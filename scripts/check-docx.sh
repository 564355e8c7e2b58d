#!/usr/bin/env bash
# Turn the documents gwgk issues into PDF with LibreOffice and into PNG pages, for a person to look
# at as a reader would: the 回头看 通报 (the whole city, and two units with a 发文字号 and 抄送), the
# year report, and a township's workbook. LibreOffice opens the files exactly as gwgk wrote them
# (no patched copy). Not run by the test suite.
# Needs gwgk on PATH, soffice (LibreOffice: libreoffice-writer, libreoffice-calc), pdftoppm and
# pdfinfo (poppler-utils); the Chinese fonts of fonts-noto-cjk stand in for the 公文 fonts.
# Usage: scripts/check-docx.sh [输出目录] [统计日期]   (default: ./check-docx 2021-10-08)
set -euo pipefail
command -v soffice >/dev/null || { echo "没有安装 LibreOffice（soffice），无法检查"; exit 2; }
command -v pdftoppm >/dev/null || { echo "没有安装 pdftoppm（poppler-utils），无法检查"; exit 2; }
out=$(realpath -m "${1:-check-docx}")
day="${2:-2021-10-08}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
export HOME="$work"   # a private LibreOffice profile
here=$(pwd)
# the repository's demo workspace (four sample ledgers) when run from it, else a fresh one
if [ -f "$here/data/tasks.yaml" ]; then export GWGK_WORKSPACE="$here"; else gwgk init "$work/ws" > /dev/null; export GWGK_WORKSPACE="$work/ws"; fi

run() { "$@" || [ $? -eq 1 ]; }  # exit 1: done, and found problems (a broken ledger)
run gwgk overdue --as-of "$day" --format docx --output "$out/回头看通报-{date}.docx" --quiet
run gwgk overdue --as-of "$day" -u 市财政局 -u 敬南镇 --format docx --number "兴政公办〔${day:0:4}〕12号" --cc 市委办公室，市人大常委会办公室 \
  --issuer 兴义市政务公开领导小组办公室 --output "$out/回头看通报-两个单位-{date}.docx" --quiet
run gwgk report --as-of "$day" --format docx --output "$out/年度汇总-{date}.docx"
gwgk export --unit 敬南镇 --as-of "$day" --output "$out/敬南镇-台账-{date}.xlsx" > /dev/null
for doc in "$out"/回头看通报-"$day".docx "$out"/回头看通报-两个单位-"$day".docx "$out"/年度汇总-"$day".docx \
           "$out"/敬南镇-台账-"$day".xlsx; do
  soffice --headless --convert-to pdf --outdir "$out" "$doc" > /dev/null 2>&1
  base="${doc%.*}"
  rm -f "$base"-页-*.png
  pdftoppm -r 60 -png "$base.pdf" "$base-页"
  pages=$(pdfinfo "$base.pdf" | awk '/^Pages:/ {print $2}')
  echo "$(basename "$base").pdf：$pages 页，PNG 在 $out"
done
if command -v pdffonts >/dev/null; then
  echo "PDF 中实际使用的字体（没装公文字体时是替代字体）："
  pdffonts "$out/回头看通报-$day.pdf" | tail -n +3 | awk '{print "  " $1}' | sort -u
fi
