"""Text edits of YAML: only the edited value or line changes; layouts that cannot be edited as text
are refused (the caller then takes the round trip)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwgk.files import yamlio, yamlsplice
from gwgk.files.yamlsplice import CannotSplice, Edit, apply_edits

DOC = """\
# 文件头注释
unit: 甲
tasks:
  # 第 1 项
  - task: 1
    role: 牵头   # 手写注释
    deadline: '9月底'
    records:
      - note: +.inf
        category: 0x10
  # 第 3 项
  - task: 3
    role: 责任
    dropped: true
    deadline: 长期
"""


def edited(*make) -> str:
    root = yamlio.compose(DOC)
    return apply_edits(DOC, [m(DOC, root) for m in make])


def test_a_value_is_replaced_in_place_keeping_its_comment_and_the_other_spellings():
    out = edited(lambda t, r: yamlsplice.value_replaced(t, r, ("tasks", 0), "role", "责任"))
    assert out == DOC.replace("    role: 牵头   # 手写注释\n", "    role: 责任   # 手写注释\n")


def test_a_quoted_value_is_replaced_by_the_writers_spelling_of_the_new_one():
    out = edited(lambda t, r: yamlsplice.value_replaced(t, r, ("tasks", 0), "deadline", "形成: 20日内"))
    assert out == DOC.replace("    deadline: '9月底'\n", "    deadline: '形成: 20日内'\n")
    assert yamlio.load_fast(out, "x")["tasks"][0]["deadline"] == "形成: 20日内"


def test_a_key_line_is_dropped_and_nothing_else():
    out = edited(lambda t, r: yamlsplice.key_dropped(t, r, ("tasks", 1), "dropped"))
    assert out == DOC.replace("    dropped: true\n", "")


def test_a_key_that_opens_a_list_item_is_not_dropped_as_text():
    with pytest.raises(CannotSplice):
        edited(lambda t, r: yamlsplice.key_dropped(t, r, ("tasks", 1), "task"))


def test_a_key_is_inserted_after_another_or_after_the_mapping():
    out = edited(lambda t, r: yamlsplice.key_inserted(t, r, ("tasks", 0), "duty", "上传。", "role"),
                 lambda t, r: yamlsplice.key_inserted(t, r, ("tasks", 1), "dropped", False, "no such key"))
    assert out == DOC.replace("    role: 牵头   # 手写注释\n", "    role: 牵头   # 手写注释\n    duty: 上传。\n") + "    dropped: false\n"


@pytest.mark.parametrize(("index", "anchor"), [
    (0, "tasks:\n"),  # right under the key: above the first item's comment
    (1, "        category: 0x10\n"),  # after the item before: the comment of the next stays with it
    (2, "    deadline: 长期\n"),
])
def test_items_are_inserted_with_their_comments_where_they_belong(index: int, anchor: str):
    out = edited(lambda t, r: yamlsplice.items_inserted(t, r, ("tasks",), index, [
        ({"task": 2, "role": "牵头"}, "第 2 项"), ({"task": 9, "role": "责任"}, None)]))
    block = "  # 第 2 项\n  - task: 2\n    role: 牵头\n  - task: 9\n    role: 责任\n"
    assert out == DOC.replace(anchor, anchor + block)
    assert [t["task"] for t in yamlio.load_fast(out, "x")["tasks"]] == [1, 3][:index] + [2, 9] + [1, 3][index:]


@pytest.mark.parametrize("text", [
    "tasks: [{task: 1, role: 牵头}]\n",  # flow style
    "tasks:\n  - task: 1\n    role: >\n      牵头\n",  # a value over two lines
    "tasks:\n  - task: 1\n    role: 牵头\n    note: 甲\u2028乙\n",  # a line break YAML sees and an editor does not
])
def test_layouts_not_edited_as_text_are_refused(text: str):
    with pytest.raises(CannotSplice):
        root = yamlio.compose(text)
        apply_edits(text, [yamlsplice.value_replaced(text, root, ("tasks", 0), "role", "责任")])


def test_a_value_with_a_line_break_is_written_on_one_line_escaped():
    out = edited(lambda t, r: yamlsplice.value_replaced(t, r, ("tasks", 0), "deadline", "两\n行"))
    assert out == DOC.replace("    deadline: '9月底'\n", '    deadline: "两\\n行"\n')
    assert yamlio.load_fast(out, "x")["tasks"][0]["deadline"] == "两\n行"


def test_overlapping_edits_are_refused():
    with pytest.raises(CannotSplice):
        apply_edits("abcdef", [Edit(1, 4, "x"), Edit(3, 5, "y")])


# spellings a person may type that the round-trip writer would spell otherwise
SPELLINGS = st.sampled_from(["+.inf", ".NaN", "0x10", "1_0.5", "0o17", "'单引号'", '"双引号"', "~", "2021-09-30",
                             "1e3", "yes", "是 # 注释", "'a''b'", "-.INF", "+12", "0b101"])


@given(st.lists(SPELLINGS, min_size=1, max_size=6), st.sampled_from(["牵头", "责任", "形成: 20日内", "a'b", "100%"]))
def test_every_other_line_is_kept_byte_for_byte(spellings: list[str], value: str):
    text = "tasks:\n  - task: 1\n    role: 责任\n    records:\n" + "".join(f"      - note: {s}\n" for s in spellings)
    root = yamlio.compose(text)
    out = apply_edits(text, [yamlsplice.value_replaced(text, root, ("tasks", 0), "role", value)])
    before, after = text.split("\n"), out.split("\n")
    assert [i for i, (a, b) in enumerate(zip(before, after)) if a != b] == ([] if value == "责任" else [2])
    assert yamlio.load_fast(out, "x")["tasks"][0]["role"] == value
