"""Invented Chinese personal names (with pinyin) for the demo roster.

Names are drawn from common surnames and given-name characters, so they look real while
belonging to nobody in particular. Every character carries its pinyin, so the English name
("Wang Xiaoming") needs no dictionary at run time.
"""

from __future__ import annotations

import random

# (surname, pinyin, weight): the weights follow roughly how common the surnames are.
# fmt: off
SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("王", "Wang", 9), ("李", "Li", 9), ("张", "Zhang", 8), ("刘", "Liu", 7), ("陈", "Chen", 7),
    ("杨", "Yang", 5), ("黄", "Huang", 5), ("赵", "Zhao", 5), ("吴", "Wu", 4), ("周", "Zhou", 4),
    ("徐", "Xu", 3), ("孙", "Sun", 3), ("马", "Ma", 3), ("朱", "Zhu", 3), ("胡", "Hu", 3),
    ("郭", "Guo", 3), ("何", "He", 3), ("高", "Gao", 3), ("林", "Lin", 3), ("罗", "Luo", 3),
    ("郑", "Zheng", 2), ("梁", "Liang", 2), ("谢", "Xie", 2), ("宋", "Song", 2), ("唐", "Tang", 2),
    ("许", "Xu", 2), ("韩", "Han", 2), ("冯", "Feng", 2), ("邓", "Deng", 2), ("曹", "Cao", 2),
    ("彭", "Peng", 2), ("曾", "Zeng", 2), ("肖", "Xiao", 2), ("田", "Tian", 2), ("董", "Dong", 2),
    ("袁", "Yuan", 2), ("潘", "Pan", 2), ("于", "Yu", 2), ("蒋", "Jiang", 2), ("蔡", "Cai", 2),
    ("余", "Yu", 1), ("杜", "Du", 1), ("叶", "Ye", 1), ("程", "Cheng", 1), ("苏", "Su", 1),
    ("魏", "Wei", 1), ("吕", "Lyu", 1), ("丁", "Ding", 1), ("任", "Ren", 1), ("沈", "Shen", 1),
    ("姚", "Yao", 1), ("卢", "Lu", 1), ("姜", "Jiang", 1), ("崔", "Cui", 1), ("钟", "Zhong", 1),
    ("谭", "Tan", 1), ("陆", "Lu", 1), ("汪", "Wang", 1), ("范", "Fan", 1), ("金", "Jin", 1),
    ("石", "Shi", 1), ("廖", "Liao", 1), ("贾", "Jia", 1), ("夏", "Xia", 1), ("韦", "Wei", 1),
    ("付", "Fu", 1), ("方", "Fang", 1), ("白", "Bai", 1), ("邹", "Zou", 1), ("孟", "Meng", 1),
    ("熊", "Xiong", 1), ("秦", "Qin", 1), ("邱", "Qiu", 1), ("江", "Jiang", 1), ("尹", "Yin", 1),
    ("薛", "Xue", 1), ("闫", "Yan", 1), ("段", "Duan", 1), ("雷", "Lei", 1), ("侯", "Hou", 1),
    ("龙", "Long", 1), ("史", "Shi", 1), ("陶", "Tao", 1), ("黎", "Li", 1), ("贺", "He", 1),
    ("顾", "Gu", 1), ("毛", "Mao", 1), ("郝", "Hao", 1), ("龚", "Gong", 1), ("邵", "Shao", 1),
    ("万", "Wan", 1), ("钱", "Qian", 1), ("严", "Yan", 1), ("武", "Wu", 1), ("戴", "Dai", 1),
    ("莫", "Mo", 1), ("孔", "Kong", 1), ("向", "Xiang", 1), ("汤", "Tang", 1),
    ("欧阳", "Ouyang", 1), ("司马", "Sima", 1), ("诸葛", "Zhuge", 1),
)

# Given-name characters without common alternative readings, with their pinyin.
GIVEN: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"),
    ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂", "gui"), ("英", "ying"), ("华", "hua"),
    ("建", "jian"), ("国", "guo"), ("文", "wen"), ("辉", "hui"), ("玲", "ling"), ("燕", "yan"),
    ("鹏", "peng"), ("宇", "yu"), ("浩", "hao"), ("凯", "kai"), ("晨", "chen"), ("欣", "xin"),
    ("怡", "yi"), ("婷", "ting"), ("雪", "xue"), ("琳", "lin"), ("博", "bo"), ("思", "si"),
    ("雨", "yu"), ("嘉", "jia"), ("子", "zi"), ("梓", "zi"), ("涵", "han"), ("佳", "jia"),
    ("俊", "jun"), ("峰", "feng"), ("斌", "bin"), ("鑫", "xin"), ("海", "hai"), ("波", "bo"),
    ("志", "zhi"), ("红", "hong"), ("春", "chun"), ("晓", "xiao"), ("小", "xiao"), ("东", "dong"),
    ("亮", "liang"), ("飞", "fei"), ("林", "lin"), ("琴", "qin"), ("云", "yun"), ("慧", "hui"),
    ("颖", "ying"), ("倩", "qian"), ("蕾", "lei"), ("璐", "lu"), ("瑶", "yao"), ("帆", "fan"),
    ("航", "hang"), ("昊", "hao"), ("然", "ran"), ("轩", "xuan"), ("宁", "ning"), ("阳", "yang"),
    ("光", "guang"), ("成", "cheng"), ("龙", "long"), ("振", "zhen"), ("宏", "hong"), ("德", "de"),
    ("永", "yong"), ("健", "jian"), ("立", "li"), ("新", "xin"), ("雅", "ya"), ("梅", "mei"),
    ("兰", "lan"), ("丹", "dan"), ("萍", "ping"), ("青", "qing"), ("晶", "jing"), ("天", "tian"),
    ("晗", "han"), ("诗", "shi"), ("若", "ruo"), ("彤", "tong"), ("泽", "ze"), ("铭", "ming"),
    ("一", "yi"), ("安", "an"), ("可", "ke"), ("心", "xin"), ("语", "yu"), ("家", "jia"),
    ("世", "shi"), ("正", "zheng"), ("金", "jin"), ("书", "shu"), ("卫", "wei"), ("荣", "rong"),
)
# fmt: on

_SURNAME_WEIGHTS = [w for _, _, w in SURNAMES]

# Mobile prefixes of the three Chinese carriers, for plausible (not real) numbers.
_MOBILE_PREFIXES = ("133", "135", "136", "138", "139", "150", "151", "158", "159", "186")


def person_name(rng: random.Random) -> tuple[str, str]:
    """An invented Chinese name and its pinyin form, surname first ("王晓明", "Wang Xiaoming")."""
    surname, surname_py, _ = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    length = 2 if rng.random() < 0.7 else 1
    chars = [rng.choice(GIVEN) for _ in range(length)]
    given = "".join(c for c, _ in chars)
    given_py = "".join(p for _, p in chars)
    return surname + given, f"{surname_py} {given_py.capitalize()}"


def mobile_number(rng: random.Random) -> str:
    """A mobile number in the Chinese format; random digits, not a real subscriber."""
    return rng.choice(_MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))
