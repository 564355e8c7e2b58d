"""催办 (issue 29): ``gwgk remind`` by file, the pure reminder builder, the log, ``collect``.

Hand-worked values: task 18 (规章和规范性文件集中统一公开) is due 2021-06-30 for 市财政局; as of
2021-06-20 it falls due in 10 days. The demo ledgers are the repository's four.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from .conftest import add_next_year, run_cli, switch_review_on

F = "市财政局"


def ok(ws: Path, *args: str, code: int = 0) -> str:
    result = run_cli(*args, workspace=ws)
    assert result.code == code, (result.out, result.err)
    return result.out


def workspace_hash(root: Path) -> str:
    """Every file and folder under ``root`` (the cache too), hashed: a write anywhere changes it."""
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        h.update(str(p.relative_to(root)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("day", ["2021-03-31", "2021-07-01", "2021-10-08", "2021-12-31", "2022-02-01"])
def test_a_reminder_names_exactly_what_the_overdue_report_names_that_day(demo: Path, day: str):
    overdue = json.loads(ok(demo, "overdue", "--as-of", day, "-f", "json", code=None or 0))
    reminded = json.loads(ok(demo, "remind", "--as-of", day, "--dry-run", "-f", "json"))
    named = {(i["unit"], i["plan"], i["task"], i["instance"], i["state"], i["due"]) for i in overdue["items"]}
    ours = {(m["unit"], i["plan"], i["task"], i["instance"], i["state"], i["due"])
            for m in reminded["messages"] for i in m["items"] if i["state"] in ("overdue", "lagging")}
    assert ours == named
    # and the rest is what falls due within the default 15 days
    for m in reminded["messages"]:
        for i in m["items"]:
            assert i["state"] in ("overdue", "lagging", "due_soon")
            if i["state"] == "due_soon":
                assert 0 <= (_d(i["due"]) - _d(day)).days <= 15
    assert reminded["as_of"] == day and reminded["via"] == "file" and reminded["failed"] == []
    assert all(not m["sent"] for m in reminded["messages"])


def _d(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)


def test_due_soon_within_n_days_by_hand(ws: Path):
    data = json.loads(ok(ws, "remind", "--as-of", "2021-06-20", "-u", F, "--dry-run", "-f", "json", "--within", "10"))
    (message,) = data["messages"]
    assert message["unit"] == F and message["to"].endswith(f"{F}.txt")
    soon = [i for i in message["items"] if i["state"] == "due_soon"]
    assert {"plan": 2021, "task": 18, "instance": "2021-06-30", "state": "due_soon", "due": "2021-06-30"} in soon
    assert all(i["due"] <= "2021-06-30" for i in soon)
    assert set(data) == {"as_of", "via", "messages", "failed"}  # the shape the issue fixes, exactly
    assert set(message) == {"unit", "to", "items", "text", "sent"}
    assert set(message["items"][0]) == {"plan", "task", "instance", "state", "due"}
    assert "第18项“规章和规范性文件集中统一公开”（2021年6月30日）：应于2021年6月30日前完成，还有10天。" in message["text"]
    # a day later the window moves: within 9 days of 06-21 still reaches 06-30, within 8 does not
    nine = json.loads(ok(ws, "remind", "--as-of", "2021-06-21", "-u", F, "--dry-run", "-f", "json", "--within", "9"))
    eight = json.loads(ok(ws, "remind", "--as-of", "2021-06-21", "-u", F, "--dry-run", "-f", "json", "--within", "8"))
    key = (18, "2021-06-30")
    assert key in {(i["task"], i["instance"]) for m in nine["messages"] for i in m["items"]}
    assert key not in {(i["task"], i["instance"]) for m in eight["messages"] for i in m["items"]}


def test_a_returned_record_is_reminded_with_its_reason_until_done_again(ws: Path):
    switch_review_on(ws)
    ok(ws, "record", "-u", F, "-t", "18", "--status", "done", "--date", "2021-06-28", "--evidence", "http://a", "--as-of", "2021-06-28")
    ok(ws, "review", "-u", F, "--record", "R1", "--return", "--reason", "佐证材料不全", "--as-of", "2021-06-29")

    def items(day: str) -> dict:
        data = json.loads(ok(ws, "remind", "--as-of", day, "-u", F, "--dry-run", "-f", "json", "--within", "0"))
        return {(i["task"], i["instance"]): (i["state"], m["text"]) for m in data["messages"] for i in m["items"]}

    before = items("2021-06-28")  # submitted, awaiting review: nothing to remind of
    assert (18, "2021-06-30") not in before
    state, text = items("2021-06-29")[(18, "2021-06-30")]
    assert state == "returned" and "报送的完成情况被退回，原因：佐证材料不全。" in text
    state, text = items("2021-07-02")[(18, "2021-06-30")]  # now overdue too: one item, with the reason
    assert state == "overdue" and "已超期2天；报送的完成情况被退回，原因：佐证材料不全。" in text
    ok(ws, "record", "-u", F, "-t", "18", "--status", "done", "--date", "2021-07-03", "--evidence", "http://b", "--as-of", "2021-07-03")
    assert (18, "2021-06-30") not in items("2021-07-04")  # done again, awaiting review


def test_files_once_a_day_logged_and_a_dry_run_writes_nothing(demo: Path, tmp_path: Path):
    out = tmp_path / "out"
    template = str(out / "{date}" / "{unit}.txt")
    before = workspace_hash(demo)
    text = ok(demo, "remind", "--as-of", "2021-10-08", "-u", F, "-u", "敬南镇", "--dry-run", "-o", template)
    assert "━━ 市财政局 → " in text and "试运行" in text
    assert workspace_hash(demo) == before and not out.exists()

    first = json.loads(ok(demo, "remind", "--as-of", "2021-10-08", "-u", F, "-u", "敬南镇", "-o", template, "-f", "json"))
    assert [m["unit"] for m in first["messages"]] == ["敬南镇", F] and all(m["sent"] for m in first["messages"])
    written = (out / "2021-10-08" / f"{F}.txt").read_text(encoding="utf-8")
    assert written == next(m["text"] for m in first["messages"] if m["unit"] == F)
    log = [json.loads(line) for line in (demo / "log" / "reminders.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["unit"], e["via"], e["as_of"], e["sent"]) for e in log] == [("敬南镇", "file", "2021-10-08", True), (F, "file", "2021-10-08", True)]
    assert log[1]["items"] == next(m["items"] for m in first["messages"] if m["unit"] == F)

    (out / "2021-10-08" / f"{F}.txt").unlink()
    again = run_cli("remind", "--as-of", "2021-10-08", "-u", F, "-u", "敬南镇", "-o", template, workspace=demo)
    assert again.code == 0 and "2 个单位今天已提醒过同样的事项，没有重发" in again.out
    assert not (out / "2021-10-08" / f"{F}.txt").exists()
    assert len((demo / "log" / "reminders.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    # another day is another reminder
    ok(demo, "remind", "--as-of", "2021-10-09", "-u", F, "-o", template)
    assert (out / "2021-10-09" / f"{F}.txt").is_file()


def test_output_must_name_each_unit_and_stay_out_of_the_workspace(demo: Path):
    r = run_cli("remind", "--as-of", "2021-10-08", "-o", "all.txt", workspace=demo)
    assert r.code == 2 and "{unit}" in r.err
    r = run_cli("remind", "--as-of", "2021-10-08", "-o", str(demo / "log" / "{unit}.txt"), workspace=demo)
    assert r.code == 2 and "log/" in r.err


def test_contacts_are_validated_with_located_chinese_problems(demo: Path):
    (demo / "data" / "contacts.yaml").write_text(
        "smtp: {host: 127.0.0.1, port: 25, security: none, sender: gwgk@example.gov.cn}\n"
        "units:\n"
        "  市财政厅: {email: [czj@example.gov.cn]}\n"
        "  敬南镇: {email: [not-an-address]}\n"
        "  各乡镇(街道): {email: [x@example.gov.cn]}\n", encoding="utf-8")
    r = run_cli("remind", "--as-of", "2021-10-08", "--via", "email", workspace=demo)
    assert r.code == 2
    assert "data/contacts.yaml:3:" in r.err and "市财政厅" in r.err and "市财政局" in r.err  # the nearest name
    assert "data/contacts.yaml:4:" in r.err and "not-an-address" in r.err
    assert "data/contacts.yaml:5:" in r.err and "单位组" in r.err
    assert not (demo / "log").exists()


def test_a_secret_written_into_contacts_is_refused_and_never_repeated(demo: Path):
    (demo / "data" / "contacts.yaml").write_text(
        "smtp: {host: 127.0.0.1, sender: gwgk@example.gov.cn, user: gwgk, password: Hunter2-very-secret}\n", encoding="utf-8")
    r = run_cli("remind", "--as-of", "2021-10-08", "--via", "email", workspace=demo)
    assert r.code == 2 and "GWGK_SMTP_PASSWORD" in r.err
    assert "Hunter2" not in r.out + r.err


def test_a_unit_without_a_contact_is_named_and_exit_1(demo: Path, tmp_path: Path):
    (demo / "data" / "contacts.yaml").write_text("units:\n  市财政局: {wecom: {url: 'http://127.0.0.1:9/never'}}\n", encoding="utf-8")
    r = run_cli("remind", "--as-of", "2021-10-08", "-u", "敬南镇", "--via", "wecom", "-f", "json", workspace=demo)
    assert r.code == 1
    data = json.loads(r.out)
    assert data["messages"] == [] and data["failed"][0]["unit"] == "敬南镇" and "联系方式" in data["failed"][0]["error"]


def test_collect_follows_exports_and_imports(demo: Path, tmp_path: Path):
    out = tmp_path / "wb"
    ok(demo, "export", "-u", F, "--as-of", "2021-10-01", "-o", str(out))
    ok(demo, "export", "-u", "敬南镇", "--as-of", "2021-10-01", "-o", str(out))
    ok(demo, "import", str(out / f"{F}-台账-2021-10-01.xlsx"), "--as-of", "2021-10-05")
    ok(demo, "export", "-u", F, "--as-of", "2021-10-06", "-o", str(out))  # a newer one, not back yet
    ok(demo, "import", str(out / f"{F}-台账-2021-10-01.xlsx"), "--as-of", "2021-10-07")  # the old one again: not news

    def view(day: str, code: int) -> dict:
        data = json.loads(ok(demo, "collect", "--as-of", day, "-f", "json", "-u", F, "-u", "敬南镇", "-u", "市政府办公室", code=code))
        return {u["unit"]: u for u in data["units"]}

    at5 = view("2021-10-05", 0)
    assert at5[F] == {"unit": F, "sent": "2021-10-01", "returned": "2021-10-05", "latest_returned": True, "waiting_days": None}
    assert at5["敬南镇"] == {"unit": "敬南镇", "sent": "2021-10-01", "returned": None, "latest_returned": False, "waiting_days": 4}
    assert at5["市政府办公室"] == {"unit": "市政府办公室", "sent": None, "returned": None, "latest_returned": False, "waiting_days": None}
    at9 = view("2021-10-09", 1)  # 敬南镇 has waited 8 days, more than 7
    assert at9[F]["sent"] == "2021-10-06" and at9[F]["latest_returned"] is False and at9[F]["waiting_days"] == 3
    assert at9[F]["returned"] == "2021-10-05"  # when it first came back
    assert at9["敬南镇"]["waiting_days"] == 8
    assert view("2021-10-05", 0) == at5  # a past day's view never changes
    chased = json.loads(ok(demo, "remind", "--unanswered", "--as-of", "2021-10-09", "--dry-run", "-f", "json"))
    assert [m["unit"] for m in chased["messages"]] == ["敬南镇"]
    assert "2021年10月1日发给贵单位的工作台账尚未交回（已等待8天）" in chased["messages"][0]["text"]


def test_a_torn_last_log_line_is_ignored_and_a_bad_one_located(demo: Path, tmp_path: Path):
    template = str(tmp_path / "{unit}.txt")
    ok(demo, "remind", "--as-of", "2021-10-08", "-u", F, "-o", template)
    log = demo / "log" / "reminders.jsonl"
    with log.open("ab") as handle:
        handle.write(b'{"kind": "remind", "unit": "')  # a crash mid-write
    ok(demo, "remind", "--as-of", "2021-10-09", "-u", F, "-o", template)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["as_of"] == "2021-10-09" and len(lines) == 3
    log.write_text("not json\n" + "\n".join(lines) + "\n", encoding="utf-8")
    r = run_cli("remind", "--as-of", "2021-10-10", "-u", F, "-o", template, workspace=demo)
    assert r.code == 2 and "log/reminders.jsonl:1:" in r.err


def test_validate_checks_contacts_too(demo: Path):
    (demo / "data" / "contacts.yaml").write_text("units:\n  市财政厅: {email: [czj@example.gov.cn]}\n", encoding="utf-8")
    r = run_cli("validate", workspace=demo)
    assert r.code == 1 and "data/contacts.yaml:2:9: 单位或单位组“市财政厅”不在 units.yaml 中，您是不是要写：市财政局" in r.out


def test_a_workbook_exported_before_keys_is_known_by_its_day(demo: Path, tmp_path: Path):
    from openpyxl import load_workbook

    out = tmp_path / "wb"
    ok(demo, "export", "-u", F, "--as-of", "2021-10-01", "-o", str(out))
    path = out / f"{F}-台账-2021-10-01.xlsx"
    wb = load_workbook(path)
    meta = wb["_gwgk"]
    (row,) = [r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == "workbook"]
    meta.delete_rows(row)
    wb.save(path)
    ok(demo, "import", str(path), "--as-of", "2021-10-03")
    (unit,) = json.loads(ok(demo, "collect", "--as-of", "2021-10-03", "-u", F, "-f", "json"))["units"]
    assert unit == {"unit": F, "sent": "2021-10-01", "returned": "2021-10-03", "latest_returned": True, "waiting_days": None}


def test_a_unit_with_a_broken_ledger_is_not_reminded_and_is_named(demo: Path, tmp_path: Path):
    ledger = demo / "ledgers" / f"{F}.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8") + "\n  - this is: [not closed\n", encoding="utf-8")
    r = run_cli("remind", "--as-of", "2021-10-08", "-u", F, "-u", "敬南镇", "-o", str(tmp_path / "{unit}.txt"), "-f", "json", workspace=demo)
    assert r.code == 1
    data = json.loads(r.out)
    assert [m["unit"] for m in data["messages"]] == ["敬南镇"] and data["failed"][0]["unit"] == F
    assert "台账有误" in data["failed"][0]["error"]


@pytest.mark.parametrize("day", ["2022-03-01", "2022-07-01", "2022-10-08"])
def test_across_two_plans_a_reminder_names_what_the_overdue_report_names(ws: Path, day: str):
    add_next_year(ws)
    ok(ws, "record", "-u", F, "-t", "2", "--status", "done", "--date", "2021-09-20", "--plan", "2021", "--as-of", "2021-09-21")
    scope = ("-u", F, "-u", "敬南镇")
    overdue = json.loads(ok(ws, "overdue", "--as-of", day, "-f", "json", *scope))
    reminded = json.loads(ok(ws, "remind", "--as-of", day, "--dry-run", "-f", "json", *scope))
    named = [(i["unit"], i["plan"], i["task"], i["instance"], i["state"]) for i in overdue["items"]]
    ours = [(m["unit"], i["plan"], i["task"], i["instance"], i["state"])
            for m in reminded["messages"] for i in m["items"] if i["state"] in ("overdue", "lagging")]
    assert ours == named and 2021 in {n[1] for n in named}  # in the 回头看's order, too
    if day >= "2022-06-24":
        assert any(i["plan"] == 2022 for m in reminded["messages"] for i in m["items"])
        assert "2021年计划第" in reminded["messages"][0]["text"]  # items of two plans name their plan


def test_a_stray_ledger_file_does_not_hide_what_falls_due(ws: Path):
    (ws / "ledgers" / "不存在的单位.yaml").write_text("unit: 不存在的单位\ntasks: []\n", encoding="utf-8")
    data = json.loads(ok(ws, "remind", "--as-of", "2021-06-20", "-u", F, "--dry-run", "-f", "json", "--within", "10"))
    assert (18, "2021-06-30", "due_soon") in {(i["task"], i["instance"], i["state"]) for m in data["messages"] for i in m["items"]}


def test_a_file_that_cannot_be_written_fails_its_unit_only(demo: Path, tmp_path: Path):
    (tmp_path / f"{F}.txt").mkdir()  # a folder where the unit's file should go
    r = run_cli("remind", "--as-of", "2021-10-08", "-u", F, "-u", "敬南镇", "-o", str(tmp_path / "{unit}.txt"), "-f", "json", workspace=demo)
    assert r.code == 1
    data = json.loads(r.out)
    assert [f["unit"] for f in data["failed"]] == [F] and "文件夹" in data["failed"][0]["error"]
    assert (tmp_path / "敬南镇.txt").is_file()
    again = json.loads(run_cli("remind", "--as-of", "2021-10-08", "-u", F, "-u", "敬南镇", "-o", str(tmp_path / "{unit}.txt"), "-f", "json",
                               workspace=demo).out)
    assert [m["unit"] for m in again["messages"]] == [F]  # only the failed one is tried again


def test_overdue_due_soon_lists_what_falls_due_beside_the_overdue(ws: Path):
    plain = json.loads(ok(ws, "overdue", "--as-of", "2021-06-20", "-u", F, "-f", "json"))
    both = json.loads(ok(ws, "overdue", "--as-of", "2021-06-20", "-u", F, "-f", "json", "--due-soon", "--within", "10"))
    assert {k: v for k, v in both.items() if k not in ("due_soon", "within")} == plain  # the 回头看 itself unchanged
    assert both["within"] == 10
    item = next(i for i in both["due_soon"] if (i["task"], i["instance"]) == (18, "2021-06-30"))
    assert item == {"unit": F, "plan": 2021, "task": 18, "title": "规章和规范性文件集中统一公开", "instance": "2021-06-30",
                    "due": "2021-06-30", "days_left": 10, "role": item["role"], "role_label": item["role_label"], "duty": item["duty"]}
    assert all("2021-06-20" <= i["due"] <= "2021-06-30" for i in both["due_soon"])
    assert [i["due"] for i in both["due_soon"]] == sorted(i["due"] for i in both["due_soon"])
    # the same items remind names as due soon that day
    reminded = json.loads(ok(ws, "remind", "--as-of", "2021-06-20", "-u", F, "--dry-run", "-f", "json", "--within", "10"))
    assert sorted((i["task"], i["instance"]) for m in reminded["messages"] for i in m["items"] if i["state"] == "due_soon") == \
        sorted((i["task"], i["instance"]) for i in both["due_soon"])
    table = ok(ws, "overdue", "--as-of", "2021-06-20", "-u", F, "--due-soon", "--within", "10")
    assert "即将到期事项（10 天内）" in table and f"另有 {len(both['due_soon'])} 项将在 10 天内到期" in table
    md = ok(ws, "overdue", "--as-of", "2021-06-20", "-u", F, "--due-soon", "-f", "md")
    assert "## 即将到期事项（15 天内）" in md
    r = run_cli("overdue", "--as-of", "2021-06-20", "--due-soon", "-f", "csv", workspace=ws)
    assert r.code == 2
