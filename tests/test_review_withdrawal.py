"""A review is an entry like any other, so it can be withdrawn (found by an attack on issue 28: a
wrong ``review --accept --all`` could not be undone). Withdrawn, a review decides nothing from that
day: its record awaits review again; a report as of an earlier day is unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_cli, switch_review_on, tree_bytes

UNITS = ("黄草街道", "兴泰街道")


def ok(ws: Path, *args: str) -> str:
    result = run_cli(*args, workspace=ws)
    assert result.code == 0, result.err
    return result.out


def pending(ws: Path, day: str) -> list[tuple[str, str]]:
    items = json.loads(ok(ws, "review", "--pending", "--as-of", day, "--format", "json"))["items"]
    return [(i["unit"], i["record"]) for i in items]


@pytest.fixture
def accepted(ws: Path) -> Path:
    switch_review_on(ws)
    for unit in UNITS:
        ok(ws, "record", "-u", unit, "-t", "7", "-s", "已完成", "-d", "2021-07-03", "--as-of", "2021-07-05")
    ok(ws, "review", "--accept", "--all", "--as-of", "2021-07-25")
    assert pending(ws, "2021-07-26") == []
    return ws


def test_a_wrong_bulk_accept_is_withdrawn_in_bulk(accepted: Path):
    ws = accepted
    undo = ("review", "--withdraw", "--all", "--reviewed-on", "2021-07-25", "--reason", "误审", "--as-of", "2021-07-30")
    before = tree_bytes(ws)
    dry = ok(ws, *undo, "--dry-run").splitlines()
    assert dry == ["（试运行，没有写入）撤回 2021-07-25 的审核（原因：误审）：查看了 48 个单位的台账，其中 2 个单位有这一天做的审核；"
                   "将写入 2 条，跳过 0 条。",
                   "  将写入 黄草街道 第 7 项任务 W1：撤回审核 V1（记录 R1：通过）",
                   "  将写入 兴泰街道 第 7 项任务 W1：撤回审核 V1（记录 R1：通过）"]
    assert tree_bytes(ws) == before
    result = json.loads(ok(ws, *undo, "--format", "json"))
    assert (result["action"], len(result["written"]), result["matched_units"]) == ("review_withdrawn", 2, 2)
    assert pending(ws, "2021-07-30") == [("黄草街道", "R1"), ("兴泰街道", "R1")]
    assert pending(ws, "2021-07-29") == []  # as of a day before the withdrawal: still accepted
    state = json.loads(ok(ws, "ledger", "-u", "黄草街道", "--as-of", "2021-07-30", "--format", "json"))
    q3 = next(i for t in state["tasks"] if t["task"] == 7 for i in t["instances"] if i["instance"] == "2021Q3")
    assert q3["state"] == "submitted"
    # the record can be reviewed again, and that review withdrawn one by one too
    ok(ws, "review", "--accept", "-u", "黄草街道", "--record", "R1", "--as-of", "2021-07-31")
    out = ok(ws, "review", "--withdraw", "-u", "黄草街道", "--record", "R1", "--reason", "再次误审", "--as-of", "2021-08-01")
    assert out.startswith("已撤回 黄草街道 第 7 项任务的 V2 对记录 R1 的审核（通过），撤回编号 W2，原因：再次误审；从 2021-08-01 起不再计入。")
    assert ok(ws, "validate").startswith("校验通过")
    again = ok(ws, *undo)
    assert again == "撤回 2021-07-25 的审核（原因：误审）：查看了 48 个单位的台账，没有这一天做的审核，没有写入。\n"


def test_a_review_is_withdrawn_by_its_id_like_any_entry(accepted: Path):
    ws = accepted
    out = ok(ws, "record", "-u", "兴泰街道", "--withdraw", "V1", "--reason", "误审", "--as-of", "2021-07-30")
    assert "已撤回 兴泰街道 第 7 项任务的 V1 对记录 R1 的审核（通过），撤回编号 W1" in out
    assert pending(ws, "2021-07-30") == [("兴泰街道", "R1")]


@pytest.mark.parametrize(("args", "message"), [
    (("review", "--withdraw", "--all", "--reason", "x"), "--reviewed-on 日期"),
    (("review", "--withdraw", "--all", "--reviewed-on", "2021-07-25"), "撤回审核必须用 --reason 写明原因"),
    (("review", "--withdraw", "--all", "--reviewed-on", "", "--reason", "x"), "--reviewed-on"),
    (("review", "--accept", "--all", "--entered-before", ""), "--entered-before"),
    (("review", "--accept", "--all", "--reviewed-on", "2021-07-25"), "--reviewed-on 用于撤回审核"),
    (("review", "--accept", "--withdraw", "--all"), "只选择一个"),
    (("review", "--withdraw", "-u", "黄草街道", "--record", "R9", "--reason", "x"), "没有记录 R9"),
])
def test_refusals_write_nothing(accepted: Path, args: tuple[str, ...], message: str):
    before = tree_bytes(accepted)
    result = run_cli(*args, "--as-of", "2021-07-30", workspace=accepted)
    assert result.code == 2 and message in result.err, result.err
    assert tree_bytes(accepted) == before
