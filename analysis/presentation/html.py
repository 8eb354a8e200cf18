"""The story as one HTML document: report.html (a file that works alone), and the presenter
view's slides.

One file serves both: "report" mode stacks the slides one under another with their sources
(for reading and printing); "slides" mode shows one 16:9 slide filling the window, switched by
keys without reloading (→ PageDown Space next, ← PageUp previous, Home End, F full screen, Esc
leave, P auto-advance on/off; any key pauses auto-advance). The slide number is kept in the
address (?slide=N on the page that embeds it, or #slide=N in the file), so a link opens there.

Works with no network: fonts are the system's, every text from the data passes through
analysis.core.escape.esc, and plotly.js is inlined, or, in the presenter page's deck, loaded
from the app's own server (served_plotly_js), and so are the map's district outlines
(shapes_src). The map needs one more thing: MapLibre (inside
plotly.js) draws nothing in a page opened from a file:// address, so report.html shows the map
as its per-year images (`map_frames`), stepped by the same script; the presenter page, served
over http, keeps the live map.
"""
from __future__ import annotations

import base64
import json
from functools import cache

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs, get_plotlyjs_version
from plotly.utils import PlotlyJSONEncoder

from analysis.core import geo, i18n
from analysis.core.escape import esc
from analysis.core.served import served_file
from analysis.core.style import FONT_FAMILY
from analysis.presentation.story import Slide, Story
from analysis.presentation.theme import CAPTION_PX, NUMBER_PX, SOURCE_PX, TITLE_PX, theme

MODES = ("report", "slides")
MAP_STEP_MS = 1500


@cache
def _plotly_js() -> str:
    return get_plotlyjs()


@cache
def _plotly_js_bytes() -> bytes:
    return _plotly_js().encode()


def served_plotly_js() -> str | None:
    """The address of plotly.js served by the app (analysis.core.served). A deck that loads it
    is ~0.8 MB instead of 5.5 MB, so a change of filters sends and checks less, and the browser
    parses plotly.js from its cache, not anew in every deck. None: the deck inlines it."""
    return served_file("plotly", get_plotlyjs_version(), ".min.js", _plotly_js_bytes())


def _t(key: str, lang: str, **kw) -> str:
    return i18n.t(f"present.{key}", lang, **kw)


def chart_spec(fig: go.Figure, shapes_src: str | None = None) -> dict:
    """The figure for a chart div that the slide sizes (no fixed width or height); numpy arrays
    in it are written by build_html's one encoding of the whole deck. shapes_src: as in
    build_html."""
    spec = fig.to_plotly_json()
    spec["layout"].update(width=None, height=None, autosize=True)
    if shapes_src:
        for trace in spec["data"]:
            if isinstance(trace.get("geojson"), geo.SharedGeoJSON):   # district outlines only
                trace["geojson"] = shapes_src   # its locations pick its districts from all of them
    return spec


def build_html(story: Story, mode: str = "report", start: int = 1, auto_s: int = 0,
               leave_url: str | None = None, map_frames: dict[int, bytes] | None = None,
               plotly_src: str | None = None, shapes_src: str | None = None) -> str:
    """The whole document. start: 1-based slide shown first in slides mode; auto_s: seconds per
    slide (0: off); leave_url: where Esc goes (None: back to report mode); map_frames: PNG of
    each year, drawn instead of the live map; plotly_src: where plotly.js is loaded from (None:
    inlined, for a file that works on its own); shapes_src: likewise, the map's district shapes
    (geo.served_districts())."""
    lang, th = story.lang, theme(story.theme)
    figures, sections = {}, []
    for number, slide in enumerate(story.slides, start=1):
        if slide.kind == "map" and map_frames:
            sections.append(_section(slide, number, len(story.slides), [], lang, map_frames))
            continue
        ids = []
        for k, fig in enumerate(slide.figures):
            ids.append(f"chart-{number}-{k}")
            figures[ids[-1]] = chart_spec(fig, shapes_src)
        sections.append(_section(slide, number, len(story.slides), ids, lang))
    config = {"mode": mode if mode in MODES else "report", "start": max(int(start), 1),
              "auto": max(int(auto_s), 0), "leave": leave_url, "mapStepMs": MAP_STEP_MS}
    data = json.dumps({"figures": figures, "config": config}, ensure_ascii=False,
                      cls=PlotlyJSONEncoder).replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(story.title)}</title>
<style>{_css(th)}</style>
{f'<script src="{esc(plotly_src)}"></script>' if plotly_src else f'<script>{_plotly_js()}</script>'}
</head>
<body class="mode-{config['mode']}">
<nav class="toolbar"><button id="present" type="button">{esc(_t('present_button', lang))}</button>
<span>{esc(_t('keys_help', lang))}</span></nav>
<main id="deck">
{''.join(sections)}
</main>
<div id="paused" hidden>{esc(_t('paused', lang))}</div>
<script id="deck-data" type="application/json">{data}</script>
<script>{_JS}</script>
</body></html>"""


def _section(slide: Slide, number: int, total: int, chart_ids: list[str], lang: str,
             map_frames: dict[int, bytes] | None = None) -> str:
    badge = f'<div class="badge">{esc(_t("badge", lang))}</div>' if slide.shows_illustrative else ""
    if slide.kind == "title":
        head = (f'<h1 class="slide-title">{esc(slide.title)}</h1>'
                + "".join(f'<p class="line">{esc(x)}</p>' for x in slide.lines)
                + f'<p class="caption">{esc(slide.caption)}</p>')
        body = ""
    else:
        head = f'<h1 class="slide-title">{esc(slide.title)}</h1><p class="caption">{esc(slide.caption)}</p>'
        body = _stills(map_frames) if map_frames else _body(slide, chart_ids, lang)
    sources = "; ".join(esc(s) for s in slide.sources)
    sources_html = (f'<footer class="sources"><b>{esc(_t("sources", lang))}:</b> {sources}</footer>'
                    if sources else '<footer class="sources"></footer>')
    return (f'<section class="slide kind-{slide.kind}" id="slide-{number}" data-kind="{slide.kind}"'
            f' data-illustrative="{int(slide.shows_illustrative)}">'
            f'<header>{head}</header><div class="body">{body}</div>{sources_html}{badge}'
            f'<div class="pager">{esc(_t("slide_of", lang, n=number, total=total))}</div></section>\n')


def _body(slide: Slide, chart_ids: list[str], lang: str) -> str:
    if slide.numbers:
        cards = "".join(f'<div class="card"><div class="value">{esc(n.value)}</div>'
                        f'<div class="label">{esc(n.label)}</div><div class="change">{esc(n.change)}</div></div>'
                        for n in slide.numbers)
        return f'<div class="numbers">{cards}</div>'
    if slide.table is not None:
        t = slide.table
        head = "".join(f"<th>{esc(c)}</th>" for c in t.columns)
        rows = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in t.rows)
        more = f'<p class="more">{esc(_t("more_rows", lang, n=t.more))}</p>' if t.more else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}"
    return "".join(f'<div class="chart" id="{cid}"></div>' for cid in chart_ids)


def _stills(frames: dict[int, bytes]) -> str:
    """The map's years as images, the last one shown until the slide steps through them."""
    last = max(frames)
    imgs = "".join(f'<img class="map-year" data-year="{y}" alt="{y}"{"" if y == last else " hidden"}'
                   f' src="data:image/png;base64,{base64.b64encode(png).decode()}">'
                   for y, png in sorted(frames.items()))
    return f'<div class="stills">{imgs}</div>'


def _css(th) -> str:
    u = "var(--u)"
    return f"""
:root {{ --u: calc(min(100vw, 1920px) / 1920); }}
body.mode-slides {{ --u: calc(min(100vw, 177.7778vh) / 1920); overflow: hidden; }}
html, body {{ margin: 0; background: {th.bg}; color: {th.fg}; font-family: {FONT_FAMILY}; }}
.toolbar {{ display: flex; gap: 24px; align-items: center; padding: 12px 24px; font-size: 18px; color: {th.muted}; }}
.toolbar button {{ font-size: 22px; padding: 8px 20px; cursor: pointer; }}
body.mode-slides .toolbar {{ display: none; }}
.slide {{ box-sizing: border-box; position: relative; width: calc(1920 * {u}); height: calc(1080 * {u});
  padding: calc(36 * {u}) calc(64 * {u}) calc(20 * {u}); display: flex; flex-direction: column;
  background: {th.bg}; overflow: hidden; }}
body.mode-report .slide {{ margin: 0 auto 24px; border-bottom: 2px solid {th.grid}; }}
body.mode-slides main {{ position: fixed; inset: 0; display: flex; align-items: center; justify-content: center; }}
body.mode-slides .slide {{ position: absolute; visibility: hidden; }}
body.mode-slides .slide.active {{ visibility: visible; }}
.slide-title {{ font-size: calc({TITLE_PX} * {u}); line-height: 1.15; margin: 0 0 calc(8 * {u}); font-weight: 700;
  padding-right: calc(520 * {u}); }}
.caption {{ font-size: calc({CAPTION_PX} * {u}); color: {th.muted}; margin: 0 0 calc(12 * {u}); }}
.kind-title header {{ margin: auto 0; }}
.kind-title .slide-title {{ font-size: calc(88 * {u}); padding-right: 0; }}
.kind-title .line {{ font-size: calc(44 * {u}); margin: calc(12 * {u}) 0; }}
.body {{ flex: 1; min-height: 0; display: flex; flex-direction: column; }}
.chart {{ flex: 1; min-height: 0; }}
.stills {{ flex: 1; min-height: 0; display: flex; justify-content: center; }}
.stills img {{ height: 100%; width: auto; max-width: 100%; object-fit: contain; }}
.stills img[hidden] {{ display: none; }}
.numbers {{ flex: 1; display: grid; grid-template-columns: repeat(4, 1fr); gap: calc(32 * {u}); align-items: center; }}
.card {{ border-top: calc(10 * {u}) solid {th.fg}; padding-top: calc(24 * {u}); }}
.value {{ font-size: calc({NUMBER_PX} * {u}); font-weight: 800; line-height: 1; }}
.label {{ font-size: calc(40 * {u}); margin-top: calc(16 * {u}); }}
.change {{ font-size: calc(34 * {u}); color: {th.muted}; margin-top: calc(8 * {u}); }}
table {{ border-collapse: collapse; font-size: calc(36 * {u}); width: 100%; }}
th {{ text-align: left; border-bottom: calc(4 * {u}) solid {th.fg}; padding: calc(10 * {u}) calc(16 * {u}); }}
td {{ border-bottom: 1px solid {th.grid}; padding: calc(10 * {u}) calc(16 * {u}); }}
.more {{ font-size: calc(28 * {u}); color: {th.muted}; }}
.sources {{ font-size: calc({SOURCE_PX} * {u}); color: {th.muted}; margin-top: calc(8 * {u});
  padding-right: calc(160 * {u}); max-height: calc(52 * {u}); overflow: hidden; overflow-wrap: anywhere; }}
.badge {{ position: absolute; top: calc(28 * {u}); right: calc(40 * {u}); max-width: calc(480 * {u});
  background: {th.badge_bg}; color: {th.badge_fg}; font-size: calc(26 * {u}); font-weight: 700;
  padding: calc(10 * {u}) calc(18 * {u}); border-radius: calc(8 * {u}); }}
.pager {{ position: absolute; right: calc(40 * {u}); bottom: calc(16 * {u}); font-size: calc(24 * {u}); color: {th.muted}; }}
#paused {{ position: fixed; left: 16px; bottom: 12px; font-size: 18px; color: {th.muted}; }}
"""


_JS = r"""
(() => {
  const {figures, config} = JSON.parse(document.getElementById('deck-data').textContent);
  const slides = [...document.querySelectorAll('.slide')];
  const host = (() => { try { return window.parent !== window && window.parent.document ? window.parent : window; }
                        catch (e) { return window; } })();
  let current = 0, timer = null;
  for (const div of document.querySelectorAll('.chart')) {
    const f = figures[div.id];
    Plotly.newPlot(div, {data: f.data, layout: f.layout, frames: f.frames || [],
                         config: {displayModeBar: false, responsive: true}});
  }
  function urlSlide() {
    const q = new URL(host.location.href).searchParams.get('slide');
    const h = /slide=(\d+)/.exec(window.location.hash);
    return parseInt(q || (h && h[1]) || '', 10);
  }
  function setUrl(n) {
    if (host !== window) {
      const u = new URL(host.location.href); u.searchParams.set('slide', n);
      host.history.replaceState(host.history.state, '', u);
    } else { history.replaceState(null, '', '#slide=' + n); }
  }
  let mapTimers = [], mapRun = 0;
  function playMap(slide) {
    // one year after another, each step once the previous one has drawn: on a slow machine a
    // redraw takes longer than a step, and overlapping calls leave plotly.js short of the last
    mapTimers.forEach(clearTimeout); mapTimers = [];
    const run = ++mapRun;
    const stills = [...slide.querySelectorAll('img.map-year')];
    stills.forEach((img, k) => { img.hidden = k > 0; });
    stills.slice(1).forEach((img, k) => mapTimers.push(setTimeout(() => {
      stills.forEach(other => { other.hidden = other !== img; }); }, (k + 1) * config.mapStepMs)));
    for (const div of slide.querySelectorAll('.chart')) {
      const names = (figures[div.id].frames || []).map(f => f.name);
      const step = k => {
        if (run !== mapRun || k >= names.length) return;
        Plotly.animate(div, [names[k]], {mode: 'immediate', frame: {duration: 0, redraw: true},
                                         transition: {duration: 0}})
          .then(() => mapTimers.push(setTimeout(() => step(k + 1), config.mapStepMs)));
      };
      step(0);
    }
  }
  function go(i) {
    i = Math.max(0, Math.min(slides.length - 1, i));
    slides[current].classList.remove('active');
    current = i; slides[i].classList.add('active');
    document.body.dataset.slide = String(i + 1);
    for (const div of slides[i].querySelectorAll('.chart')) Plotly.Plots.resize(div);
    if (document.body.classList.contains('mode-slides')) { setUrl(i + 1); playMap(slides[i]); }
  }
  function setAuto(seconds) {
    clearInterval(timer); timer = null;
    document.getElementById('paused').hidden = !(config.auto && !seconds);
    if (seconds) timer = setInterval(() => go(current + 1 < slides.length ? current + 1 : 0), seconds * 1000);
  }
  function present(on) {
    document.body.classList.toggle('mode-slides', on);
    document.body.classList.toggle('mode-report', !on);
    for (const div of document.querySelectorAll('.chart')) Plotly.Plots.resize(div);
    if (on) go(current);
  }
  function fullscreen() {
    const doc = host.document;
    if (doc.fullscreenElement) doc.exitFullscreen(); else doc.documentElement.requestFullscreen().catch(() => {});
  }
  function leave() {
    if (host.document.fullscreenElement) host.document.exitFullscreen();
    if (config.leave) host.location.href = config.leave; else { setAuto(0); present(false); }
  }
  function onKey(e) {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const k = e.key;
    const wasAuto = timer !== null;
    if (timer) setAuto(0);                       // any key pauses auto-advance
    if (['ArrowRight', 'PageDown', ' ', 'Spacebar', 'ArrowDown'].includes(k)) go(current + 1);
    else if (['ArrowLeft', 'PageUp', 'ArrowUp'].includes(k)) go(current - 1);
    else if (k === 'Home') go(0);
    else if (k === 'End') go(slides.length - 1);
    else if (k === 'f' || k === 'F') fullscreen();
    else if (k === 'p' || k === 'P') { if (!wasAuto) setAuto(config.auto || 10); }
    else if (k === 'Escape') leave();
    else return;
    if (document.body.classList.contains('mode-slides')) e.preventDefault();
  }
  document.addEventListener('keydown', onKey);
  if (host !== window) {  // keys reach the page too; a re-rendered deck replaces the old handler
    if (host.__deckKeys) host.document.removeEventListener('keydown', host.__deckKeys);
    host.__deckKeys = onKey; host.document.addEventListener('keydown', onKey);
  }
  document.getElementById('present').addEventListener('click', () => { present(true); });
  const fromUrl = urlSlide();
  current = Math.max(0, Math.min(slides.length - 1, (fromUrl || config.start) - 1));
  if (!Number.isNaN(fromUrl) && host === window && config.mode === 'report') present(true);
  slides[current].classList.add('active');
  if (document.body.classList.contains('mode-slides')) go(current);
  document.body.dataset.slide = String(current + 1);
  setAuto(config.auto);
  window.deck = {go, get current() { return current + 1; }, count: slides.length, opened: current + 1};
})();
"""
