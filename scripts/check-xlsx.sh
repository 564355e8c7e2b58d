#!/usr/bin/env bash
# Check exported workbooks as an office would: open them in LibreOffice (convert to PDF), re-save
# them with LibreOffice, and import them back. Needs gwgk on PATH and soffice (LibreOffice).
set -euo pipefail
command -v soffice >/dev/null || { echo "没有安装 LibreOffice(soffice),跳过检查"; exit 0; }
python=$(dirname "$(command -v gwgk)")/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GWGK_WORKSPACE="$work/ws" HOME="$work"   # a private LibreOffice profile
gwgk init "$work/ws" > /dev/null
gwgk export --unit 市财政局 --as-of 2021-10-08 --output "$work/out/市财政局.xlsx" > /dev/null

soffice --headless --convert-to pdf --outdir "$work/pdf" "$work/out/市财政局.xlsx" > /dev/null 2>&1
test -s "$work/pdf/市财政局.pdf" && echo "1. LibreOffice 打开并转成 PDF:$(wc -c < "$work/pdf/市财政局.pdf") 字节"
[ -n "${KEEP_PDF:-}" ] && cp "$work/pdf/市财政局.pdf" "$KEEP_PDF"
if command -v pdftoppm >/dev/null && [ -n "${KEEP_PNG:-}" ]; then  # the first printed page, to look at
  pdftoppm -png -r 80 -f 1 -l 1 "$work/pdf/市财政局.pdf" "$KEEP_PNG" && echo "   第 1 页图片:$(ls "$KEEP_PNG"-*1.png)"
fi
"$python" - "$work/pdf/市财政局.pdf" <<'PY' || true
import re, sys, zlib
data = open(sys.argv[1], "rb").read()
sizes = [float(m) for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S)
         for m in re.findall(rb"/F\d+ ([0-9.]+) Tf", zlib.decompress(stream) if stream[:2] == b"x\x9c" else stream)]
if sizes:
    print(f"   PDF 中正文字号:最小 {min(sizes):.1f} pt,最大 {max(sizes):.1f} pt")
PY

soffice --headless --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$work/resaved" "$work/out/市财政局.xlsx" > /dev/null 2>&1
echo "2. LibreOffice 另存后原样导入:$(gwgk import "$work/resaved/市财政局.xlsx" --as-of 2021-10-08)"

"$python" - "$work/resaved/市财政局.xlsx" "$work/filled.xlsx" <<'PY'
import sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1])
ws = wb["市财政局"]
row = next(r for r in range(2, ws.max_row + 1) if (ws.cell(r, 14).value or "").startswith("市财政局|7|2021Q3|1|"))
ws.cell(row, 9).value, ws.cell(row, 10).value, ws.cell(row, 12).value = "已完成", "2021年9月28日", "http://www.xingyi.gov.cn/a.html"
wb.save(sys.argv[2])
PY
soffice --headless --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$work/resaved2" "$work/filled.xlsx" > /dev/null 2>&1
echo "3. 填写后再经 LibreOffice 另存,导入:$(gwgk import "$work/resaved2/filled.xlsx" --as-of 2021-10-08)"
state=$(gwgk ledger --unit 市财政局 --as-of 2021-10-08 --format json | "$python" -c 'import json,sys; d=json.load(sys.stdin); print(next(i["state"] for t in d["tasks"] if t["task"]==7 for i in t["instances"] if i["instance"]=="2021Q3"))')
echo "4. 第7项 2021Q3 现在的状态:$state"
[ "$state" = done ]
echo "5. 再导入一次:$(gwgk import "$work/resaved2/filled.xlsx" --as-of 2021-10-08)"
