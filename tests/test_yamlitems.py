"""New list items written directly give the same bytes as ruamel's round trip writes for them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from gwgk.files import yamlio
from gwgk.files.yamlitems import _whole, rendered_lists

SHANGHAI = ZoneInfo("Asia/Shanghai")

# text that is often plain and often not: Han characters, letters, digits, full-width and YAML punctuation
_ALPHABET = st.sampled_from(list("政务公开已完成测试员abcYNyn019_-:#&*!|>'\"%@`,[]{}?~ \t\n，。：；（）“”、\u3000\x85\u2028"))
words = (st.sampled_from(["yes", "No", "ON", "off", "True", "null", "~", "Nan", "inf", "R12", "V3", "2021Q3",
                                   "已完成", "通过", "0x10", "1e3", "012", "2021-09-01", "12:30", "R1 ", " R1", "", "y", "Off", "NULL", "TRUE"]))
texts = st.one_of(st.text(_ALPHABET, max_size=12), words, words)
scalars = st.one_of(texts, texts, texts, st.integers(-10**12, 10**12), st.booleans(), st.none(), st.dates(),
                    st.floats(allow_nan=True),
                    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2999, 1, 1)).map(
                        lambda d: d.replace(tzinfo=SHANGHAI, microsecond=d.microsecond % 2 * 500000)))
keys = st.sampled_from(["id", "date", "status", "note", "entered", "at", "by", "record", "decision", "yes", "on", "a b"])
# a list value sends its whole list through the round trip: rare, so the direct way is mostly what is tested
items = st.dictionaries(keys, st.one_of(*[scalars] * 9, st.lists(texts, max_size=2)), max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(items, min_size=1, max_size=2), min_size=1, max_size=4))
def test_direct_rendering_is_the_round_trips_bytes(lists):
    assert rendered_lists(lists) == [_whole(each) for each in lists]


def test_the_entries_of_a_bulk_write_take_the_direct_way():
    # hand-worked: what a review entry looks like in a ledger, each value written without the writer
    at = dt.datetime(2022, 1, 10, 9, 30, tzinfo=SHANGHAI)
    entries = [{"id": f"V{i}", "record": f"R{i}", "decision": "通过", "entered": dt.date(2022, 1, 10), "at": at, "by": "测试员"}
               for i in (1, 2)]
    [block] = rendered_lists([entries])
    assert block == ("- id: V1\n  record: R1\n  decision: 通过\n  entered: 2022-01-10\n  at: 2022-01-10 09:30:00+08:00\n  by: 测试员\n"
                     "- id: V2\n  record: R2\n  decision: 通过\n  entered: 2022-01-10\n  at: 2022-01-10 09:30:00+08:00\n  by: 测试员\n")
    # and it loads back as the values it was made of
    assert yamlio.load_fast("l:\n" + block, "x.yaml")["l"][0]["record"] == "R1"
