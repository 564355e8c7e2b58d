"""The documents the office issues (issue 27): their numbers add up and agree with ``--format
json``, for one plan and for two; every sentence and heading gwgk writes is punctuated as Chinese
official text is; no programmer's period or event code reaches a reader."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from gwgk.reports.wording import ascii_in_chinese, has_code

from .conftest import add_next_year, run_cli
from .test_docx import document_text

PARTS = ("done_on_time", "done_late", "overdue", "submitted", "not_applicable")


def ok(ws: Path, *args: str) -> str:
    result = run_cli(*args, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def review_on(ws: Path) -> Path:
    tasks = ws / "data" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    assert "settings:\n" in text
    tasks.write_text(text.replace("settings:\n", "settings:\n  review: true\n", 1), encoding="utf-8")
    return ws


@pytest.fixture
def busy(demo: Path) -> Path:
    """The demo workspace with 销号 review on and a little of everything: records awaiting review,
    an event, an extension, a 不适用 (its reason with half-width parentheses), a late record."""
    review_on(demo)
    ok(demo, "record", "-u", "市财政局", "-t", "18", "--status", "done", "--date", "2021-06-28", "--as-of", "2021-07-02")
    ok(demo, "record", "-u", "市教育局", "-t", "6", "--event", "2021年预算批复", "--date", "2021-08-02", "--as-of", "2021-08-02")
    ok(demo, "record", "-u", "市教育局", "-t", "1", "--extend", "2021-09-30", "--to", "2021-10-31", "--reason", "资料归档中",
       "--as-of", "2021-09-20")
    ok(demo, "record", "-u", "市教育局", "-t", "2", "--status", "not_applicable", "--date", "2021-07-01",
       "--reason", "本单位无规划(已说明)", "--as-of", "2021-07-01")
    return demo


def two_plans(ws: Path) -> Path:
    """A 2022 plan: the 2021 plan moved one year on (as tests/test_plan_ledgers.py makes it)."""
    add_next_year(ws)
    ok(ws, "record", "-u", "市财政局", "-t", "2", "--status", "done", "--date", "2022-09-20", "--as-of", "2022-09-21")
    ok(ws, "record", "-u", "市财政局", "--plan", "2021", "-t", "7", "-i", "2021Q3", "--status", "done", "--date", "2022-01-10",
       "--as-of", "2022-01-10")
    return ws


# ---------------------------------------------------------------- the partition


def assert_partition(unit: dict) -> None:
    assert unit["owed"] == sum(unit[k] for k in PARTS), unit
    assert min(unit[k] for k in (*PARTS, "not_due", "lagging")) >= 0, unit


@pytest.mark.parametrize("day", ["2021-07-05", "2021-10-08", "2022-01-10"])
def test_the_look_back_json_partition_on_every_unit(busy: Path, day: str):
    look = json.loads(ok(busy, "overdue", "--as-of", day, "--format", "json"))
    for u in look["units"]:
        assert_partition(u)
    for k in ("owed", *PARTS, "not_due"):
        assert look[f"total_{k}"] == sum(u[k] for u in look["units"]), k


@pytest.mark.parametrize("day", ["2021-06-25", "2021-07-05", "2021-10-08", "2021-12-31", "2022-03-01"])
def test_owed_is_the_sum_of_its_parts_on_every_row_and_the_total(busy: Path, day: str):
    data = json.loads(ok(busy, "report", "--as-of", day, "--format", "json"))
    for unit in [*data["units"], data["totals"]]:
        assert_partition(unit)
    for key in ("owed", *PARTS, "not_due", "lagging"):
        assert data["totals"][key] == sum(u[key] for u in data["units"]), key
    totals = data["totals"]
    decided = totals["owed"] - totals["not_applicable"] - totals["submitted"]
    assert totals["on_time_rate"] == (round(totals["done_on_time"] / decided, 4) if decided else None)


def test_awaiting_review_is_counted_in_every_format(ws: Path, tmp_path: Path):
    busy = review_on(ws)
    ok(busy, "record", "-u", "市财政局", "-t", "18", "--status", "done", "--date", "2021-06-28", "--as-of", "2021-07-02")
    ok(busy, "record", "-u", "敬南镇", "-t", "18", "--status", "done", "--date", "2021-06-29", "--as-of", "2021-07-02")
    data = json.loads(ok(busy, "report", "--as-of", "2021-07-05", "--format", "json"))
    finance = next(u for u in data["units"] if u["unit"] == "市财政局")
    assert finance["submitted"] == 1 and data["totals"]["submitted"] == 2  # the total adds the rows up
    assert "已报完成待审核2项次" in data["paragraph"]
    md = ok(busy, "report", "--as-of", "2021-07-05", "--format", "md")
    header = next(line for line in md.splitlines() if line.startswith("| 单位 | 应完成"))
    assert header == "| 单位 | 应完成 | 按时完成 | 逾期完成 | 超期未完成 | 待审核 | 不适用 | 按时完成率 | 未到期 | 进度滞后 |"
    row = next(line for line in md.splitlines() if line.startswith("| 市财政局 |")).split(" | ")
    assert row[5] == "1"
    for fmt in ("table", "html"):
        assert "待审核" in ok(busy, "report", "--as-of", "2021-07-05", "--format", fmt)
    target = tmp_path / "r.docx"
    ok(busy, "report", "--as-of", "2021-07-05", "--format", "docx", "--output", str(target))
    units = Document(str(target)).tables[0]
    assert [c.text for c in units.rows[0].cells][5] == "待审核"


def test_one_item_awaiting_review_is_no_zero_rate(ws: Path):
    review_on(ws)
    ok(ws, "record", "-u", "市财政局", "-t", "18", "--status", "done", "--date", "2021-06-28", "--as-of", "2021-06-28")
    data = json.loads(ok(ws, "report", "--as-of", "2021-06-29", "--format", "json"))
    finance = next(u for u in data["units"] if u["unit"] == "市财政局")
    # on 06-29 nothing of 市财政局's is past due; its one 已完成 awaits review: no rate yet, not 0.0%
    assert (finance["owed"], finance["submitted"], finance["on_time_rate"]) == (1, 1, None)


# ---------------------------------------------------------------- the notice agrees with JSON


def _numbers(text: str, *labels: str) -> dict[str, int]:
    found = {}
    for label in labels:
        match = re.search(label + r"(\d+)项次", text)
        assert match, (label, text)
        found[label] = int(match[1])
    return found


def _notice(ws: Path, tmp_path: Path, *args: str) -> tuple[list[str], list[list[list[str]]]]:
    target = tmp_path / "n.docx"
    result = run_cli("overdue", *args, "--format", "docx", "--output", str(target), workspace=ws)
    assert result.code == 0, result.err
    document = Document(str(target))
    return [p.text for p in document.paragraphs], [[[c.text for c in r.cells] for r in t.rows] for t in document.tables]


def _check_notice_against_json(ws: Path, tmp_path: Path, day: str, plans: list[int]) -> None:
    texts, tables = _notice(ws, tmp_path, "--as-of", day)
    look = json.loads(ok(ws, "overdue", "--as-of", day, "--format", "json"))
    assert look["plans"] == plans
    # the year reports of each plan covered, added up (a plan whose year is over no longer lags)
    years = [json.loads(ok(ws, "report", "--plan", str(p), "--as-of", day, "--format", "json")) for p in plans]
    expected = {k: sum(y["totals"][k] for y in years) for k in ("owed", *PARTS)}
    expected["lagging"] = look["total_lagging"]
    assert look["total_overdue"] == expected["overdue"]  # the JSON's two reports agree with each other
    # the 回头看's own JSON carries the same counts, per unit and in total, each adding up
    assert {k: look[f"total_{k}"] for k in ("owed", "done_on_time", "done_late", "not_applicable")} == {
        k: expected[k] for k in ("owed", "done_on_time", "done_late", "not_applicable")}
    for u in look["units"]:
        assert_partition(u)
    overview = texts[texts.index("一、总体情况") + 1]
    said = _numbers(overview, "到期应完成事项", "已完成", "其中逾期完成", "超期未完成", "长期任务进度滞后")
    assert said == {"到期应完成事项": expected["owed"], "已完成": expected["done_on_time"] + expected["done_late"],
                    "其中逾期完成": expected["done_late"], "超期未完成": expected["overdue"], "长期任务进度滞后": expected["lagging"]}
    # the summary table: a row per unit in the JSON's order, the total, each row adding up
    summary = tables[0]
    header, *rows = summary
    assert header[:2] == ["单位", "应完成"]
    *units, total = rows
    assert [r[0] for r in units] == [u["unit"] for u in look["units"]]
    for r, u in zip(units, look["units"]):
        owed, on_time, late, overdue, submitted, na, lagging = map(int, r[1:8])
        assert owed == on_time + late + overdue + submitted + na
        assert (overdue, lagging, submitted) == (u["overdue"], u["lagging"], u["submitted"])
    assert [int(x) for x in total[1:8]] == [expected["owed"], expected["done_on_time"], expected["done_late"], expected["overdue"],
                                            expected["submitted"], expected["not_applicable"], expected["lagging"]]
    # the attachment: each unit's heading gives its counts, its list has that many rows
    lists = tables[1:]
    headings = [t for t in texts[texts.index("附件"):] if re.match(r"^[一二三四五六七八九十]+、.+（", t)]
    assert len(headings) == len(lists) == sum(1 for u in look["units"] if u["overdue"] or u["lagging"])
    for heading, table, u in zip(headings, lists, [u for u in look["units"] if u["overdue"] or u["lagging"]]):
        assert heading.split("、", 1)[1].startswith(u["unit"] + "（")
        overdue = int(m[1]) if (m := re.search(r"超期未完成(\d+)项次", heading)) else 0
        lagging = int(m[1]) if (m := re.search(r"进度滞后(\d+)项次", heading)) else 0
        assert (overdue, lagging) == (u["overdue"], u["lagging"])
        assert len(table) - 1 == overdue + lagging
    assert sum(len(t) - 1 for t in lists) == len(look["items"]) == look["total_overdue"] + look["total_lagging"]
    titles = [y["plan_title"] for y in reversed(years)]
    assert texts[0].replace("\n", "") == "关于" + "".join(f"《{t}》" for t in titles) + "落实情况“回头看”的通报"


def test_the_notice_of_one_plan_says_what_json_says(busy: Path, tmp_path: Path):
    _check_notice_against_json(busy, tmp_path, "2021-10-08", [2021])


def test_the_notice_of_two_plans_counts_both_alike(demo: Path, tmp_path: Path):
    ws = two_plans(demo)
    _check_notice_against_json(ws, tmp_path, "2022-10-08", [2021, 2022])


def test_the_year_report_document_says_what_json_says(busy: Path, tmp_path: Path):
    target = tmp_path / "r.docx"
    ok(busy, "report", "--as-of", "2021-10-08", "--format", "docx", "--output", str(target))
    data = json.loads(ok(busy, "report", "--as-of", "2021-10-08", "--format", "json"))
    document = Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("一、存在的主要问题及改进情况") + 1] == data["paragraph"]
    said = _numbers(data["paragraph"], "应完成的工作任务共", "按时完成", "逾期完成", "超期未完成", "不适用")
    totals = data["totals"]
    assert list(said.values()) == [totals["owed"], totals["done_on_time"], totals["done_late"], totals["overdue"],
                                   totals["not_applicable"]]
    units = document.tables[0]
    keys = ("owed", "done_on_time", "done_late", "overdue", "submitted", "not_applicable", None, "not_due", "lagging")
    for row, unit in zip(units.rows[1:], [*data["units"], totals]):
        cells = [c.text for c in row.cells]
        assert cells[0] == unit["unit"]
        assert [int(c) for c, k in zip(cells[1:], keys) if k] == [unit[k] for k in keys if k]


# ---------------------------------------------------------------- 公文 punctuation, no codes


def _visible_html(page: str) -> str:
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", "\n", page)


def _shown(text: str, fmt: str) -> str:
    """What a reader sees of a rendering: an HTML page's text, a CSV file's cells a line each."""
    if fmt == "html":
        return _visible_html(text)
    if fmt == "csv":
        return "\n".join(cell for row in csv.reader(io.StringIO(text)) for cell in row)
    return text


def _xlsx_text(path: Path) -> str:
    wb = load_workbook(path)
    # the columns gwgk writes: not the hidden key, nor the cells a unit filled in (its own words, kept
    # as entered so that an unchanged row imports as unchanged)
    return "\n".join(str(c.value) for ws in wb.worksheets if ws.sheet_state == "visible"
                     for row in ws.iter_rows() for c in row if c.value is not None and c.column <= 8)


def every_rendering(ws: Path, tmp_path: Path, day: str) -> dict[str, str]:
    """What every renderer makes of the workspace as of ``day``: name → text a reader sees."""
    out: dict[str, str] = {}
    units = ["市财政局", "黄草街道", "市教育局"]
    for fmt in ("table", "md", "csv", "html"):
        for command, extra in (("overdue", ()), ("overdue", ("-u", "市财政局")), ("report", ())):
            if command == "report" and fmt == "csv":
                continue
            result = run_cli(command, "--as-of", day, "--format", fmt, *extra, workspace=ws, env={"COLUMNS": "200"})
            assert result.code in (0, 1), result.err
            out[f"{command} {' '.join(extra)} {fmt}"] = _shown(result.out, fmt)
        if fmt != "html":
            for unit in units:
                result = run_cli("ledger", "-u", unit, "--as-of", day, "--format", fmt, workspace=ws, env={"COLUMNS": "200"})
                assert result.code == 0, result.err
                out[f"ledger {unit} {fmt}"] = _shown(result.out, fmt)
    narrow = run_cli("overdue", "--as-of", day, workspace=ws, env={"COLUMNS": "90"})
    out["overdue narrow"] = narrow.out
    for command in ("overdue", "report"):
        target = tmp_path / f"{command}.docx"
        result = run_cli(command, "--as-of", day, "--format", "docx", "--output", str(target), workspace=ws)
        assert result.code in (0, 1), result.err
        out[f"{command} docx"] = document_text(Document(str(target)))
    for unit in units:
        target = tmp_path / f"{unit}.xlsx"
        assert run_cli("export", "-u", unit, "--as-of", day, "--output", str(target), workspace=ws).code == 0
        out[f"export {unit}"] = _xlsx_text(target)
    return out


@pytest.mark.parametrize("day", ["2021-07-05", "2021-10-08"])
def test_no_half_width_punctuation_in_chinese_and_no_codes_in_any_rendering(busy: Path, tmp_path: Path, day: str):
    for name, text in every_rendering(busy, tmp_path, day).items():
        assert not ascii_in_chinese(text), (name, ascii_in_chinese(text)[:5])
        codes = [line for line in text.splitlines() if has_code(line)]
        assert not codes, (name, codes[:3])


def test_no_half_width_punctuation_over_two_plans(demo: Path, tmp_path: Path):
    ws = two_plans(demo)
    for name, text in every_rendering(ws, tmp_path, "2022-10-08").items():
        assert not ascii_in_chinese(text), (name, ascii_in_chinese(text)[:5])
        assert not [line for line in text.splitlines() if has_code(line)], name


def test_the_check_finds_what_it_looks_for():
    """The two checks above, on planted faults: they would catch one."""
    assert ascii_in_chinese("截至2021年10月8日,到期") and ascii_in_chinese("存在的主要问题:一是") and ascii_in_chinese("村(居)务")
    assert not ascii_in_chinese("ledgers/市财政局.yaml:50:17: 状态") and not ascii_in_chinese("http://a.cn/x?a=1;b=2")
    assert ascii_in_chinese("ledgers/市财政局.yaml:50:17: 状态,应写")  # the place keeps its colon, the sentence not
    assert has_code("2021Q3") and has_code("2021B4 已完成") and has_code("期次 E1") and has_code("2021H1")
    assert not has_code("2021年第三季度") and not has_code("EDEDED") and not has_code("E1000X")



# ---------------------------------------------------------------- 版头, 版记, file properties


def documents_settings(ws: Path, **values: str) -> Path:
    tasks = ws / "data" / "tasks.yaml"
    lines = "".join(f"    {k}: {v}\n" for k, v in values.items())
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("settings:\n", f"settings:\n  documents:\n{lines}", 1),
                     encoding="utf-8")
    return ws


def test_the_notice_is_issued_as_the_settings_say(ws: Path, tmp_path: Path):
    documents_settings(ws, issuer="兴义市政务公开领导小组办公室", number="兴政公办〔{year}〕{n}号",
                       cc="市委办公室，市人大常委会办公室", printer="兴义市人民政府办公室", addressees="各有关单位")
    texts, _ = _notice(ws, tmp_path, "--as-of", "2021-10-08")
    # the 版头: the issuer, then the 文号 with its serial left blank to be written by hand
    assert texts[1] == "兴义市政务公开领导小组办公室" and texts[3] == "兴政公办〔2021〕\u3000\u3000号"
    assert "各有关单位：" in texts
    date = texts.index("2021年10月8日")
    assert texts[date - 1] == "兴义市政务公开领导小组办公室"  # the signature
    # the 版记 closes the document: 抄送, then 印发机关 and 印发日期
    assert texts[-2:] == ["抄送：市委办公室，市人大常委会办公室。", "兴义市人民政府办公室\t2021年10月8日印发"]


def test_without_settings_the_plan_issues_it_and_there_is_no_masthead(ws: Path, tmp_path: Path):
    texts, _ = _notice(ws, tmp_path, "--as-of", "2021-10-08")
    assert texts[0].startswith("关于《兴义市2021年政务公开工作要点》")  # no 版头: the title first
    assert texts[-1] == "兴义市人民政府办公室\t2021年10月8日印发" and not any(t.startswith("抄送") for t in texts)


def test_a_notice_as_of_a_past_day_is_the_same_file_every_time(demo: Path, tmp_path: Path):
    import zipfile

    made = []
    for n in range(2):
        target = tmp_path / f"n{n}.docx"
        ok(demo, "overdue", "--as-of", "2021-10-08", "--format", "docx", "--output", str(target))
        made.append(target.read_bytes())
    assert made[0] == made[1]
    with zipfile.ZipFile(tmp_path / "n0.docx") as z:
        assert {i.date_time for i in z.infolist()} == {(2021, 10, 8, 0, 0, 0)}
    props = Document(str(tmp_path / "n0.docx")).core_properties
    assert (props.author, props.created.date().isoformat(), props.modified.date().isoformat()) == (
        "兴义市人民政府办公室", "2021-10-08", "2021-10-08")
    assert props.title.startswith("关于《兴义市2021年政务公开工作要点》")


def test_the_notice_is_issued_as_asked_for_this_run(ws: Path, tmp_path: Path):
    documents_settings(ws, number="兴政公办〔{year}〕{n}号", cc="市委办公室")
    texts, _ = _notice(ws, tmp_path, "--as-of", "2021-10-08", "--number", "12", "--issuer", "兴义市政务公开办",
                       "--addressees", "各乡镇（街道）", "--cc", "市人大常委会办公室", "--printer", "兴义市人民政府办公室")
    assert texts[1] == "兴义市政务公开办" and texts[3] == "兴政公办〔2021〕12号"
    assert "各乡镇（街道）：" in texts and texts[texts.index("2021年10月8日") - 1] == "兴义市政务公开办"
    assert texts[-2:] == ["抄送：市人大常委会办公室。", "兴义市人民政府办公室\t2021年10月8日印发"]
    whole, _ = _notice(ws, tmp_path, "--as-of", "2021-10-08", "--number", "兴政公办函〔2021〕3号")
    assert whole[3] == "兴政公办函〔2021〕3号"  # a whole 文号 as written


def test_a_serial_number_without_a_pattern_is_refused(ws: Path, tmp_path: Path):
    result = run_cli("overdue", "--as-of", "2021-10-08", "--format", "docx", "--output", str(tmp_path / "n.docx"),
                     "--number", "12", workspace=ws)
    assert result.code == 2 and "settings.documents.number" in result.err and not (tmp_path / "n.docx").exists()


@pytest.mark.parametrize("fmt", ["table", "json", "md", "csv", "html", "docx"])
def test_each_unit_gets_its_own_part(busy: Path, tmp_path: Path, fmt: str):
    look = json.loads(ok(busy, "overdue", "--as-of", "2021-10-08", "--format", "json"))
    with_items = [u["unit"] for u in look["units"] if u["overdue"] or u["lagging"]]
    result = run_cli("overdue", "--as-of", "2021-10-08", "--format", fmt, "--output", str(tmp_path / "out" / "{unit}-{date}.x"),
                     workspace=busy)
    assert result.code == 0, result.err
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(f"{u}-2021-10-08.x" for u in with_items)
    finance = tmp_path / "out" / "市财政局-2021-10-08.x"
    others = [u for u in look["units"] if u["unit"] != "市财政局"]
    if fmt == "json":
        part = json.loads(finance.read_text(encoding="utf-8"))
        mine = next(u for u in look["units"] if u["unit"] == "市财政局")
        assert part["units"] == [mine] and {i["unit"] for i in part["items"]} == {"市财政局"}
        assert part["total_overdue"] == mine["overdue"] and part["total_owed"] == mine["owed"]
    elif fmt == "docx":
        document = Document(str(finance))
        texts = [p.text for p in document.paragraphs]
        assert "市财政局：" in texts  # addressed to the unit itself
        assert [r.cells[0].text for r in document.tables[0].rows[1:]] == ["市财政局", "合计"]
    else:
        text = finance.read_text(encoding="utf-8-sig")
        assert "市财政局" in text and not any(u["unit"] in text for u in others if u["unit"] not in ("市财政局",)
                                             and "市财政局" not in u["unit"])


def test_a_unit_placeholder_is_a_units_name_or_refused(ws: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run_cli("report", "--as-of", "2021-10-08", "--format", "md", "--output", str(out / "{unit}.md"), workspace=ws)
    assert result.code == 2 and "{unit}" in result.err and not out.exists()  # one report, no unit
    ok(ws, "ledger", "-u", "财政局", "--as-of", "2021-10-08", "--format", "md", "--output", str(out / "{unit}.md"))
    assert [p.name for p in out.iterdir()] == ["市财政局.md"]  # the unit's full name


def test_ledger_all_writes_each_units_ledger(ws: Path, tmp_path: Path):
    result = run_cli("ledger", "--all", "--as-of", "2021-10-08", "--format", "md", "--output", str(tmp_path / "台账" / "{unit}.md"),
                     workspace=ws)
    assert result.code == 0, result.err
    files = sorted((tmp_path / "台账").iterdir())
    assert len(files) == 48 and (tmp_path / "台账" / "黄草街道.md").read_text(encoding="utf-8").startswith("# 工作台账：黄草街道\n")
    refused = run_cli("ledger", "--all", "--output", str(tmp_path / "all.md"), workspace=ws)
    assert refused.code == 2 and "{unit}" in refused.err and not (tmp_path / "all.md").exists()


def test_an_event_is_named_in_the_notice_and_never_by_its_key(busy: Path, tmp_path: Path):
    look = json.loads(ok(busy, "overdue", "--as-of", "2021-10-08", "-u", "市教育局", "--format", "json"))
    (event,) = [i for i in look["items"] if i["task"] == 6]
    # every format names the event and its day, never its key (the names remembered with the timelines)
    assert (event["instance"], event["instance_label"]) == ("E1", "2021年预算批复（2021年8月2日）")
    for fmt in ("table", "md", "csv", "html"):
        shown = run_cli("overdue", "--as-of", "2021-10-08", "-u", "市教育局", "--format", fmt, workspace=busy, env={"COLUMNS": "400"})
        assert "2021年预算批复（2021年8月2日）" in shown.out and "E1" not in shown.out and "触发事件" not in shown.out, fmt
    # from the cache as from the ledger: a new day, the same words
    again = json.loads(ok(busy, "overdue", "--as-of", "2021-10-09", "-u", "市教育局", "--format", "json"))
    assert [i["instance_label"] for i in again["items"] if i["task"] == 6] == ["2021年预算批复（2021年8月2日）"]
    assert json.loads(ok(busy, "overdue", "--as-of", "2021-10-09", "-u", "市教育局", "--format", "json", "--no-cache")) == again
    # the 通报 that leaves the office names the event and its day
    texts, tables = _notice(busy, tmp_path, "--as-of", "2021-10-08", "-u", "市教育局")
    assert any(row[2] == "2021年预算批复（2021年8月2日）" for table in tables[1:] for row in table)
