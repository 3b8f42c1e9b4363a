"""Issue 9 in Chinese: HQ hovers the dashboard's charts. Each tooltip is styled by our
stylesheet and speaks Chinese, and no Content-Security-Policy error is logged (ECharts'
default tooltip writes style="" attributes, which the policy refuses: about twenty errors
and an unstyled tooltip). Fevers, quarantines and confirmed cases get small charts with
their own scale instead of lying flat at zero under a headcount of thousands. On a phone
the charts fit the screen.

The conftest fails every test whose page logged a JavaScript or CSP error, so hovering
each chart here is what proves the policy holds."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import HQ, expect_no_horizontal_overflow

pytestmark = pytest.mark.browser

ZH = {"locale": "zh-CN"}
PHONE = {"width": 375, "height": 812}
CHARTS = {"reporting": "已上报", "fever": "发热", "quarantined": "隔离中", "confirmed": "确诊"}
RARE = ("fever", "quarantined", "confirmed")
ZH_DAY = re.compile(r"\d{1,2}月\d{1,2}日")
ZH_FULL_DAY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")

# What the page's chart shows: the y axis's top and the highest value of each series.
AXIS_TOP = """(box) => {
    const chart = window.echarts.getInstanceByDom(box);
    const axis = chart.getModel().getComponent('yAxis', 0).axis;
    const values = chart.getOption().series.flatMap((s) => s.data);
    return {top: axis.scale.getExtent()[1], highest: Math.max(...values)};
}"""

TOOLTIP_STYLE = """(tip) => {
    const box = tip.getBoundingClientRect();
    const chart = tip.closest('[data-chart]').getBoundingClientRect();
    const dot = tip.querySelector('.chart-dot');
    const day = tip.querySelector('.chart-tip-day');
    const dotStyle = dot && getComputedStyle(dot);
    return {
        position: getComputedStyle(tip).position,
        inside: box.left >= chart.left - 1 && box.right <= chart.right + 1 && box.width > 0,
        dotWidth: dotStyle ? parseFloat(dotStyle.width) : 0,
        dotColour: dotStyle ? dotStyle.backgroundColor : '',
        dayWeight: day ? getComputedStyle(day).fontWeight : '',
        rowDisplay: getComputedStyle(tip.querySelector('.chart-tip-row')).display,
    };
}"""


def _open_dashboard(page, login) -> None:
    login(page, HQ)
    page.goto("/health/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("trends")).to_be_visible()


def _hover(page, key: str):
    """Point at the chart's last days and return its tooltip once shown."""
    box = page.get_by_test_id(f"chart-{key}")
    box.scroll_into_view_if_needed()
    expect(box.locator("svg")).to_have_count(1)
    size = box.bounding_box()
    assert size is not None
    box.hover(position={"x": size["width"] * 0.75, "y": size["height"] * 0.5})
    tip = box.locator(".chart-tooltip")
    expect(tip).to_be_visible()
    return tip


def test_hq_hovers_every_chart_and_reads_a_styled_chinese_tooltip(new_page, login):
    page = new_page(**ZH)
    _open_dashboard(page, login)
    for key, label in CHARTS.items():
        tip = _hover(page, key)
        expect(tip).to_contain_text(label)
        expect(tip).to_contain_text(ZH_FULL_DAY)
        style = tip.evaluate(TOOLTIP_STYLE)
        # Our stylesheet reached the tooltip: a round coloured dot, a bold day, rows in a line.
        assert style["position"] == "absolute", style
        assert style["inside"], f"the {key} tooltip leaves its chart: {style}"
        assert style["dotWidth"] >= 8, style
        assert style["dotColour"] not in ("", "rgba(0, 0, 0, 0)", "transparent"), style
        assert style["dayWeight"] in ("700", "bold"), style
        assert style["rowDisplay"] == "flex", style
        # The x axis's days are written the Chinese way (12月2日).
        axis_text = page.get_by_test_id(f"chart-{key}").locator("svg text").all_text_contents()
        assert any(ZH_DAY.fullmatch(t.strip()) for t in axis_text), axis_text
    # The main chart has a legend in Chinese; the small charts a Chinese title each.
    legend = " ".join(page.get_by_test_id("chart-reporting").locator("svg text").all_text_contents())
    assert "已上报" in legend and "未上报" in legend, legend
    for key in RARE:
        expect(page.get_by_test_id(f"chart-figure-{key}").locator("figcaption")).to_contain_text(CHARTS[key])
    # The 90-day view redraws every chart; hovering again logs no error either.
    page.get_by_test_id("trend-period-90").click()
    expect(page.get_by_test_id("trend-period-90")).to_have_attribute("aria-pressed", "true")
    _hover(page, "fever")


def test_rare_events_have_their_own_scale(new_page, login):
    page = new_page(**ZH)
    _open_dashboard(page, login)
    main = page.get_by_test_id("chart-reporting").element_handle()
    assert main is not None
    reporting = main.evaluate(AXIS_TOP)
    assert reporting["highest"] > 0, "the demo world has returns"
    seen = {}
    for key in RARE:
        box = page.get_by_test_id(f"chart-{key}").element_handle()
        assert box is not None
        seen[key] = box.evaluate(AXIS_TOP)
        top, highest = seen[key]["top"], seen[key]["highest"]
        # Its own scale: as high as its own highest day, not the headcount's thousands.
        assert top >= max(highest, 1), seen
        assert top <= 2 * highest + 1, f"the {key} axis is not scaled to its own values: {seen}"
    # The demo world has fevers in the last 30 days: their chart is not flat.
    assert seen["fever"]["highest"] > 0, seen
    assert seen["fever"]["top"] < reporting["top"], (seen, reporting)
    # Each chart has a text alternative: a name, a summary and the numbers in a table.
    for key in CHARTS:
        box = page.get_by_test_id(f"chart-{key}")
        expect(box).to_have_attribute("role", "img")
        summary = page.locator(f"#{box.get_attribute('aria-describedby')}")
        expect(summary).to_contain_text("最近90天")
    table = page.get_by_test_id("trend-table")
    table.locator("summary").click()
    expect(table.locator("tbody tr")).to_have_count(90)
    expect(table.locator("thead")).to_contain_text("发热")


def test_charts_fit_a_phone(new_page, login):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, **ZH)
    _open_dashboard(page, login)
    for key in CHARTS:
        box = page.get_by_test_id(f"chart-{key}")
        expect(box.locator("svg")).to_have_count(1)
        size = box.bounding_box()
        assert size is not None and size["x"] >= 0 and size["x"] + size["width"] <= PHONE["width"] + 1, (key, size)
    tip = _hover(page, "confirmed")
    expect(tip).to_contain_text("确诊")
    assert tip.evaluate(TOOLTIP_STYLE)["inside"]
    page.get_by_test_id("trend-table").locator("summary").click()
    expect_no_horizontal_overflow(page, "the dashboard's trends on a phone")
