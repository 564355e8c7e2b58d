#!/usr/bin/env bash
# Rebuild the demo workspace's example ledgers (ledgers/) with gwgk itself. The records are
# invented examples for a department, a 街道, a 镇 and 市政府办公室, not real work records.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
rm -f ledgers/*.yaml
r() { gwgk --workspace "$repo" record --as-of 2021-10-08 "$@" > /dev/null; }

u=市财政局
r -u $u -t 7 -s 已完成 -d 2021-07-12 -i 2021Q2 -n "二季度政府债务限额、余额信息" --evidence "http://www.xingyi.gov.cn/zwgk/czxx/zfzw/202107/t20210712_001.html"
r -u $u -t 7 -s 已完成 -d 2021-09-28 -n "三季度政府债务信息" --evidence "http://www.xingyi.gov.cn/zwgk/czxx/zfzw/202109/t20210928_002.html"
r -u $u -t 6 -e "2021年市级部门预算批复" -d 2021-07-20
r -u $u -t 6 -s 已完成 -d 2021-08-10 -i E1 -n "市级部门预算公开" --evidence "2021年部门预算公开目录.xlsx"
r -u $u -t 6 -e "2020年市级部门决算批复" -d 2021-09-01
r -u $u -t 2 -s 已完成 -d 2021-10-05 -n "财政专项规划上传门户网站"
r -u $u -t 1 --extend 2021-09-30 --to 2021-10-31 -r "历史规划资料正在归档,经市政务公开领导小组办公室同意延期"
r -u $u -t 12 -s 不适用 -d 2021-07-01 -r "门户网站重点信息栏目端口尚未开通"
r -u $u -t 18 -s 已完成 -d 2021-06-25 -i 2021-06-30 -n "现行有效规范性文件12件全部入库"
r -u $u -t 23 -s 已完成 -d 2021-06-28 -n "注销重复的微博账号1个"
r -u $u -t 25 -s 已完成 -d 2021-06-29
r -u $u -t 27 -s 已完成 -d 2021-06-30 --evidence "http://www.xingyi.gov.cn/zwgk/gzcy/202106/t20210630_003.html"
r -u $u -t 33 -s 已完成 -d 2021-06-28 -i 2021-06-30 -n "印发本局2021年政务公开工作要点,建立台账"
r -u $u -t 33 -s 推进中 -d 2021-09-15 -i 长期 -n "三季度台账跟进督查"
r -u $u -t 3 -s 推进中 -d 2021-08-20 -n "更新网上办事指南32项"
r -u $u -t 8 -s 已完成 -d 2021-09-30 -i 2021Q3
r -u $u -t 31 -s 已完成 -d 2021-06-29 -i 2021Q2

u=黄草街道
for d in 02:乡村振兴 09:民生保障 16:生态建设 23:产业招商; do r -u $u -t 12 -s 已完成 -d "2021-06-${d%%:*}" -c "${d#*:}"; done
for d in 05:乡村振兴 12:民生保障 19:民生保障 26:生态建设; do r -u $u -t 12 -s 已完成 -d "2021-07-${d%%:*}" -c "${d#*:}"; done
for d in 03:乡村振兴 10:民生保障 17:生态建设 24:对外开放; do r -u $u -t 12 -s 已完成 -d "2021-08-${d%%:*}" -c "${d#*:}"; done
for d in 06:乡村振兴 14:民生保障; do r -u $u -t 12 -s 已完成 -d "2021-09-${d%%:*}" -c "${d#*:}"; done
r -u $u -t 8 -s 已完成 -d 2021-06-25 -n "村(居)务公开栏公示二季度补贴发放"
r -u $u -t 8 -s 已完成 -d 2021-09-24 -n "村居民小组微信群公开三季度补贴发放"
r -u $u -t 23 -s 已完成 -d 2021-06-30
r -u $u -t 25 -s 已完成 -d 2021-07-15 -n "标准规范清单修订(逾期)"
r -u $u -t 27 -s 已完成 -d 2021-06-30 -n "8个社区居委会公开事项清单梳理完成"
r -u $u -t 33 -s 已完成 -d 2021-06-30 -i 2021-06-30
r -u $u -t 1 -s 已完成 -d 2021-09-28 -n "街道区域规划上传" --evidence "http://www.xingyi.gov.cn/xzhc/hcjd/ghjh/"
r -u $u -t 32 -s 推进中 -d 2021-08-30 -i 长期 -n "政务公开AB岗人员调整已报备"

u=敬南镇
r -u $u -t 33 -s 已完成 -d 2021-06-30 -i 2021-06-30
r -u $u -t 23 -s 已完成 -d 2021-06-29
r -u $u -t 27 --extend 2021-06-30 --to 2021-07-31 -r "村委会换届,事项清单延后梳理"
r -u $u -t 27 -s 已完成 -d 2021-07-20 -n "12个村公开事项清单梳理完成"
for d in 08:乡村振兴 15:民生保障 22:生态建设 29:安全生产; do r -u $u -t 12 -s 已完成 -d "2021-06-${d%%:*}" -c "${d#*:}"; done

u=市政府办公室
r -u $u -t 1 -s 已完成 -d 2021-09-29 -n "总体规划及历史规划归集公开"
r -u $u -t 2 -s 已完成 -d 2021-09-26 -n "门户网站规划栏目设置完成"
r -u $u -t 7 -s 已完成 -d 2021-06-30 -i 2021Q2 -n "债务信息栏目建设"
r -u $u -t 7 -s 已完成 -d 2021-09-29 -i 2021Q3
r -u $u -t 19 -e "《兴义市人民政府关于印发……的通知》形成" -d 2021-09-13
r -u $u -t 19 -s 已完成 -d 2021-09-30 -i E1 --evidence "http://www.xingyi.gov.cn/zwgk/zfwj/202109/t20210930_004.html"
r -u $u -t 24 -e "《兴义市人民政府公报》2021年第3期形成" -d 2021-09-06
r -u $u -t 21 -s 推进中 -d 2021-09-20 -n "政府信息公开专栏栏目优化"
r -u $u -t 20 -s 推进中 -d 2021-07-15 -n "重点领域栏目改版方案"
r -u $u -t 3 -s 推进中 -d 2021-08-31 -n "市长热线转办件按期办结"

for f in ledgers/*.yaml; do
  { echo "# 示例数据:仅用于演示 gwgk,是编造的记录,不是兴义市的真实工作记录。"; cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"
done
gwgk --workspace "$repo" validate
