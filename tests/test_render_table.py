"""Text tables: widths that count Chinese as two columns, wrapping, layout, colour."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gwgk.render.table import (
    Column,
    Styled,
    Table,
    blocks_text,
    column_widths,
    table_lines,
    text_width,
    wrapped,
)


def test_widths_count_chinese_and_full_width_as_two():
    assert text_width("abc") == 3
    assert text_width("政务公开") == 8
    assert text_width("2021年9月底") == 11
    assert text_width("\uff08原\uff09") == 6  # full-width brackets are wide
    assert text_width("(原)") == 4
    assert text_width("—") == 1  # the em dash used for empty cells is narrow on terminals


def test_wrapping_keeps_ascii_words_whole_and_breaks_chinese_anywhere():
    assert wrapped("政务公开工作要点", 6) == ["政务公", "开工作", "要点"]
    assert wrapped("2021-09-30 财政专项规划上传", 10) == ["2021-09-30", "财政专项规", "划上传"]
    assert wrapped("进度滞后(超 16 天无进展)", 10) == ["进度滞后(", "超 16 天无", "进展)"]
    assert wrapped("第一行\n第二行", 20) == ["第一行", "第二行"]
    assert wrapped("(2021-07-20)", 10) == ["(2021-07-2", "0)"]  # a word wider than the line is folded


def test_no_line_starts_with_closing_punctuation():
    assert wrapped("市政府办公室、市政办", 12) == ["市政府办公", "室、市政办"]
    assert wrapped("形成20日内。", 10) == ["形成20日", "内。"]
    assert wrapped("期限2021。", 8) == ["期限2021", "。"]  # an ASCII word is never split to carry
    assert wrapped("规划。。。", 4) == ["规", "划。", "。。"]


def test_a_table_that_fits_uses_natural_widths():
    table = Table([Column("单位"), Column("超期", right=True)], [["市财政局", "14"], ["敬南镇", "3"]], title="各单位")
    assert table_lines(table, 80) == [
        "各单位",
        "┏━━━━━━━━━━┳━━━━━━┓",
        "┃ 单位     ┃ 超期 ┃",
        "┡━━━━━━━━━━╇━━━━━━┩",
        "│ 市财政局 │   14 │",
        "│ 敬南镇   │    3 │",
        "└──────────┴──────┘",
    ]


def test_a_wide_table_narrows_its_widest_wrappable_columns_first():
    table = Table([Column("序号", right=True, no_wrap=True), Column("任务"), Column("分工")],
                  [["1", "规划信息公开", "根据职能\uff0c负责专项规划、空间规划的公开与解读。"]])
    # natural: 4, 12, 46 columns of text; 10 columns of borders and padding; 40 columns in all
    assert column_widths(table, 40) == [4, 12, 14]
    lines = table_lines(table, 40)
    assert {text_width(line) for line in lines} == {40}
    assert lines[3] == "│    1 │ 规划信息公开 │ 根据职能\uff0c负责 │"


def test_borderless_tables_and_colour():
    table = Table([Column("项", no_wrap=True, style="bold"), Column("内容")], [["序号", "7"]], box=False, show_header=False)
    assert table_lines(table, 40) == ["序号  7"]
    assert table_lines(table, 40, color=True) == ["\x1b[1m序号\x1b[0m  7"]
    text = blocks_text([Styled("超期", "bold red"), "共 1 项。"], 40, color=True)
    assert text == "\x1b[1;31m超期\x1b[0m\n共 1 项。\n"


cells = st.text(alphabet=st.sampled_from(list("政务公开台账 abc-0123(),。\n")), max_size=40)


@given(st.lists(st.lists(cells, min_size=3, max_size=3), max_size=6), st.integers(min_value=30, max_value=160))
@settings(max_examples=300, deadline=None)
def test_every_line_of_a_table_is_as_wide_as_the_others_and_no_text_is_lost(rows, width):
    table = Table([Column("序号", right=True), Column("任务"), Column("本单位分工")], rows)
    lines = table_lines(table, width)
    assert len({text_width(line) for line in lines}) == 1
    if sum(column_widths(table, width)) + 10 <= width:
        assert text_width(lines[0]) <= width
    body = "".join(lines)
    for row in rows:
        for cell in row:
            for ch in cell:
                if not ch.isspace():
                    assert ch in body


@given(st.text(alphabet=st.sampled_from(list("政务公开、。,)a1- \n")), max_size=60), st.integers(min_value=2, max_value=20))
@settings(max_examples=500, deadline=None)
def test_no_wrapped_line_is_wider_than_asked(text, width):
    lines = wrapped(text, width)
    assert all(text_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
