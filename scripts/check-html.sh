#!/usr/bin/env bash
# Screenshot the 回头看 and year-report web pages at desktop (1280 px) and phone (390 px) width with
# headless Chromium, for a person to look at. Not run by the test suite.
# Needs gwgk on PATH and chromium (apt-get install chromium).
# Usage: scripts/check-html.sh [输出目录]   (default: ./check-html)
set -euo pipefail
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "没有安装 Chromium,无法截图"; exit 2; }
out=$(realpath -m "${1:-check-html}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
here=$(pwd)
if [ -f "$here/data/tasks.yaml" ]; then export GWGK_WORKSPACE="$here"; else gwgk init "$work/ws" > /dev/null; export GWGK_WORKSPACE="$work/ws"; fi
gwgk overdue --as-of 2021-10-08 --format html --output "$out/回头看.html" || [ $? -eq 1 ]
gwgk report --as-of 2021-10-08 --format html --output "$out/年度汇总.html" || [ $? -eq 1 ]
# Headless Chromium will not make a window narrower than 500 px, so the phone width is an iframe of
# 390 px (its media queries see 390); the probe reports how wide the page is and which columns show.
shoot() { "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --no-first-run --user-data-dir="$work/profile" --allow-file-access-from-files --hide-scrollbars "$@" 2>/dev/null; }
for page in 回头看 年度汇总; do
  shoot --window-size=1280,2400 --screenshot="$out/$page-1280.png" "file://$out/$page.html" > /dev/null
  cat > "$work/$page-390.html" <<HTML
<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="f" src="file://$out/$page.html" style="width:390px;height:2400px;border:0"></iframe>
<script>document.getElementById('f').onload = function () {
  var d = this.contentDocument, shown = [];
  d.querySelectorAll('table:last-of-type th').forEach(function (t) { if (getComputedStyle(t).display != 'none') shown.push(t.textContent); });
  document.title = '页面宽 ' + d.documentElement.scrollWidth + ' px(窗口 ' + this.contentWindow.innerWidth + ' px);最后一个表显示的列:' + shown.join('、');
};</script></body></html>
HTML
  shoot --window-size=500,2400 --screenshot="$out/$page-390.png" "file://$work/$page-390.html" > /dev/null
  probe=$(shoot --window-size=500,900 --virtual-time-budget=3000 --dump-dom "file://$work/$page-390.html" | grep -o '<title>[^<]*</title>' | head -1 | sed 's#</\?title>##g')
  echo "$page:$out/$page-1280.png、$out/$page-390.png;390 px 时 $probe"
done
