"""Names sorted as a reader expects: pinyin order for Chinese, letters for English."""

from __future__ import annotations

from sameboat.core.collation import collation_key


def test_chinese_place_names_sort_in_pinyin_order():
    names = ["天津市", "重庆市", "湖北省", "北京市", "安徽省", "成都市", "广东省", "长沙市"]
    assert sorted(names, key=collation_key) == [
        "安徽省",
        "北京市",
        "长沙市",
        "成都市",
        "重庆市",  # chong, not zhong
        "广东省",
        "湖北省",
        "天津市",
    ]


def test_english_names_sort_without_regard_to_case_and_before_chinese():
    assert sorted(["pakistan", "Bhutan", "不丹", "Myanmar"], key=collation_key) == [
        "Bhutan",
        "Myanmar",
        "pakistan",
        "不丹",
    ]
