from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from dsar.casework.charts import Bar, columns, horizontal_bars

SVG = "{http://www.w3.org/2000/svg}"


def test_it_draws_one_bar_per_value_scaled_to_the_largest():
    svg = ET.fromstring(str(horizontal_bars([Bar("a", 10), Bar("b", 5)], title="t", width=460)))
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert widths == [200.0, 100.0]


def test_it_escapes_labels():
    svg = str(horizontal_bars([Bar("<script>x</script>", 1)], title="a&b"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)  # well-formed


def test_it_stacks_parts_in_legend_order():
    bar = Bar("Org", 6, parts=(("complete", 4), ("refused", 2)))
    svg = ET.fromstring(str(horizontal_bars([bar], title="t", legend=["complete", "refused"], width=460)))
    plot_rects = [r for r in svg.iter(f"{SVG}rect") if r.get("height") != "10"]
    assert [float(r.get("width")) for r in plot_rects] == [133.3, 66.7]  # 4 and 2 of 6 -> 200
    assert plot_rects[0].get("fill") != plot_rects[1].get("fill")


def test_it_draws_columns_for_every_day_even_empty_ones():
    svg = ET.fromstring(str(columns([Bar("1", 0), Bar("2", 3), Bar("3", 0)], title="t")))
    assert len(list(svg.iter(f"{SVG}rect"))) == 3


def test_it_wraps_a_long_legend_onto_a_second_line():
    names = ["Complete answer", "Partial answer", "Refused", "Says they hold no data", "Asks for more"]
    svg = ET.fromstring(str(horizontal_bars([Bar("Org", 1, parts=(("Refused", 1),))], title="t", legend=names, width=460)))
    keys = [r for r in svg.iter(f"{SVG}rect") if r.get("height") == "10"]
    assert len(keys) == 5 and len({r.get("y") for r in keys}) == 2
    xs = [float(r.get("x")) for r in keys if r.get("y") == keys[0].get("y")]
    assert xs == sorted(xs) and all(b - a > 100 for a, b in itertools.pairwise(xs))
