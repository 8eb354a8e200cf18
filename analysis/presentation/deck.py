"""deck.pptx from the story (python-pptx): one slide per presenter slide, 16:9.

Titles, captions, key numbers and tables are real text in the story's language (with an East
Asian font named, so Chinese renders in PowerPoint and WPS); charts are the 1920×1080 PNGs;
the sources go in the speaker notes; slides with made-up records carry the illustrative badge.
"""
from __future__ import annotations

import io
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from analysis.core import i18n
from analysis.presentation.story import Slide, Story
from analysis.presentation.theme import theme

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.45)
EA_FONT = "Microsoft YaHei"     # PowerPoint and WPS both map it; LibreOffice falls back to Noto CJK
LATIN_FONT = "Arial"
BLANK_LAYOUT = 6
BADGE_NAME = "illustrative-badge"


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#"))


def _text(frame, text: str, size: int, color: str, bold: bool = False) -> None:
    """Replace the frame's text by one paragraph in both fonts."""
    frame.clear()
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    _font(run, size, color, bold)


def _font(run, size: int, color: str, bold: bool = False) -> None:
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, LATIN_FONT
    run.font.color.rgb = _rgb(color)
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            rpr.append(el)
        el.set("typeface", EA_FONT)


def _box(slide, left, top, width, height, text: str, size: int, color: str, bold=False, name=None):
    shape = slide.shapes.add_textbox(left, top, width, height)
    if name:
        shape.name = name
    _text(shape.text_frame, text, size, color, bold)
    return shape


def build_deck(story: Story, images: dict[tuple[int, int], bytes]) -> bytes:
    """The .pptx bytes. images[(slide index, figure index)]: PNG bytes of that chart."""
    th = theme(story.theme)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = story.title
    prs.core_properties.language = "zh-CN" if story.lang == "zh" else "en-GB"
    for i, s in enumerate(story.slides):
        slide = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
        slide.background.fill.solid()
        slide.background.fill.fore_color.rgb = _rgb(th.bg)
        _fill(slide, s, [images[(i, k)] for k in range(len(s.figures)) if (i, k) in images], th, story.lang)
        notes = i18n.t("present.sources", story.lang) + ":\n" + "\n".join(s.sources) if s.sources else ""
        slide.notes_slide.notes_text_frame.text = notes
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _fill(slide, s: Slide, pngs: list[bytes], th, lang: str) -> None:
    width = SLIDE_W - 2 * MARGIN
    if s.kind == "title":
        _box(slide, MARGIN, Inches(2.0), width, Inches(1.6), s.title, 44, th.fg, bold=True, name="title")
        _box(slide, MARGIN, Inches(3.8), width, Inches(1.6), "\n".join(s.lines), 24, th.fg)
        _box(slide, MARGIN, Inches(5.6), width, Inches(0.8), s.caption, 18, th.muted)
    else:
        _box(slide, MARGIN, Inches(0.25), width - Inches(3.4), Inches(0.9), s.title, 30, th.fg, bold=True,
             name="title")
        _box(slide, MARGIN, Inches(1.1), width, Inches(0.6), s.caption, 16, th.muted)
        top, bottom = Inches(1.75), SLIDE_H - Inches(0.3)
        if pngs:
            _pictures(slide, pngs, top, bottom)
        elif s.numbers:
            _numbers(slide, s, top, th)
        elif s.table is not None:
            _table(slide, s, top, bottom, th, lang)
    if s.shows_illustrative:
        badge = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, SLIDE_W - MARGIN - Inches(3.3),
                                       Inches(0.25), Inches(3.3), Inches(0.75))
        badge.name = BADGE_NAME
        badge.fill.solid()
        badge.fill.fore_color.rgb = _rgb(th.badge_bg)
        badge.line.fill.background()
        _text(badge.text_frame, i18n.t("present.badge", lang), 13, th.badge_fg, bold=True)


def _pictures(slide, pngs: list[bytes], top, bottom) -> None:
    """Each chart at 16:9, as large as the space under the caption allows, centred."""
    height = Emu(int((bottom - top) / len(pngs)))
    width = Emu(int(height * 16 / 9))
    if width > SLIDE_W - 2 * MARGIN:
        width = SLIDE_W - 2 * MARGIN
        height = Emu(int(width * 9 / 16))
    for k, png in enumerate(pngs):
        slide.shapes.add_picture(io.BytesIO(png), Emu(int((SLIDE_W - width) / 2)), top + k * height,
                                 width, height)


def _numbers(slide, s: Slide, top, th) -> None:
    col = (SLIDE_W - 2 * MARGIN) / len(s.numbers)
    for k, n in enumerate(s.numbers):
        left = MARGIN + Emu(int(k * col))
        _box(slide, left, top + Inches(0.8), Emu(int(col)), Inches(1.5), n.value, 66, th.fg, bold=True)
        _box(slide, left, top + Inches(2.5), Emu(int(col)), Inches(0.8), n.label, 22, th.fg)
        _box(slide, left, top + Inches(3.3), Emu(int(col)), Inches(0.6), n.change, 18, th.muted)


def _table(slide, s: Slide, top, bottom, th, lang: str) -> None:
    t = s.table
    rows = len(t.rows) + 1
    height = min(Inches(0.5) * rows, bottom - top - Inches(0.5))
    shape = slide.shapes.add_table(rows, len(t.columns), MARGIN, top, SLIDE_W - 2 * MARGIN, height)
    for c, heading in enumerate(t.columns):
        _text(shape.table.cell(0, c).text_frame, heading, 16, "#FFFFFF", bold=True)
    for r, row in enumerate(t.rows, start=1):
        for c, value in enumerate(row):
            _text(shape.table.cell(r, c).text_frame, value, 14, "#111111")
    if t.more:
        _box(slide, MARGIN, bottom - Inches(0.45), SLIDE_W - 2 * MARGIN, Inches(0.4),
             i18n.t("present.more_rows", lang, n=t.more), 14, th.muted)

