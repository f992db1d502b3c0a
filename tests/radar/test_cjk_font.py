"""Chinese labels render as glyphs, not boxes."""

import numpy as np
import pytest
from matplotlib.ft2font import FT2Font

from students.radar import charts
from teachers.demo import MAJORS

LABELS = [name for _major, (_n, _e, comps) in MAJORS.items() for _c, name, _en in comps]


def test_the_cjk_font_is_installed_and_has_every_label_glyph():
    path = charts.cjk_font_path()
    assert path is not None, "paperang-p2-fonts-cjk (requirements.txt) ships the CJK font"
    font = FT2Font(str(path))
    missing = {ch for label in LABELS for ch in label if not ch.isascii() and font.get_char_index(ord(ch)) == 0}
    assert not missing


def test_matplotlib_resolves_the_chart_font_to_the_cjk_font():
    from matplotlib import font_manager

    charts._pyplot()
    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False)
    assert found.endswith("wqy-microhei.ttc")


def _render_text(text: str, family: str) -> np.ndarray:
    plt = charts._pyplot()
    fig = plt.figure(figsize=(1.2, 0.6), dpi=80)
    fig.text(0.05, 0.3, text, family=family, fontsize=20)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., 0].copy()
    plt.close(fig)
    return pixels


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_chinese_characters_are_not_missing_glyph_boxes():
    chars = "数据分析"
    # DejaVu Sans has no CJK glyphs: every character is the same missing-glyph box.
    boxes = [_render_text(ch, "DejaVu Sans") for ch in chars]
    assert all(np.array_equal(boxes[0], b) for b in boxes[1:])
    # With the chart font, each character is drawn differently and none is the box.
    glyphs = [_render_text(ch, charts.CJK_FAMILY) for ch in chars]
    for i, g in enumerate(glyphs):
        assert (g < 128).any(), "something is drawn"
        assert not np.array_equal(g, boxes[0])
        assert all(not np.array_equal(g, other) for other in glyphs[i + 1:])
