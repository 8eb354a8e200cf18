"""Every export of the story, made in one place for the presenter page and the CLI:

    deck.pptx            one slide per presenter slide (analysis/presentation/deck.py)
    report.html          the self-contained report, which also presents (analysis/presentation/html.py)
    NN-<kind>.png        one 1920×1080 PNG per chart (kaleido with the system's chromium)
    map-YYYY.png         the hall map of each year
    map-animation.gif    those years in turn, for posts and slides

Each file is written atomically (a reader sees the old file or the new one). `progress` is
called with (share done 0..1, file name) so the page can show a bar.
"""
from __future__ import annotations

import asyncio
import atexit
import io
import tempfile
import shutil
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import plotly.graph_objects as go
from PIL import Image

from analysis.core.atomic import write_atomic
from analysis.presentation.deck import build_deck
from analysis.presentation.hall_map import frame_figure
from analysis.presentation.html import build_html
from analysis.presentation.story import Story
from analysis.presentation.theme import HEIGHT, WIDTH

GIF_SIZE = (1280, 720)
GIF_FRAME_MS = 1200
GIF_LAST_MS = 3000
DECK, REPORT, GIF = "deck.pptx", "report.html", "map-animation.gif"

Progress = Callable[[float, str], None]
START_TIMEOUT = 60.0   # s for kaleido's chromium to open; on a loaded machine it takes ~2 s
START_TRIES = 2        # a chromium that closed at start usually opens the next time
RENDER_TIMEOUT = 90.0  # s for one image
CLOSE_TIMEOUT = 10.0
GRACE = 5.0            # s a cancelled step may take to give up before this thread stops waiting


class _Chromium:
    """kaleido's chromium, opened once for the process on an event loop of its own; renders take
    turns. kaleido's own sync server waits forever when chromium dies while it starts, so here
    every step is bounded, on the loop and in the thread that waits for it: a start that fails
    or times out is tried once more, then reported; a render that fails or hangs closes the
    chromium (killed if it does not close), and the next render starts a new one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None

    def png(self, fig: go.Figure, width: int, height: int) -> bytes:
        opts = {"format": "png", "width": width, "height": height}
        with self._lock:
            if self._kaleido is not None and _exited(self._kaleido):
                self._drop()   # it died since the last render
            if self._kaleido is None:
                self._kaleido = self._start()
            try:
                return self._call(self._kaleido.calc_fig(fig.to_dict(), opts=opts), RENDER_TIMEOUT)
            except Exception as exc:
                self._drop()
                cause = f"nothing in {RENDER_TIMEOUT:.0f} s" if isinstance(exc, TimeoutError) else _cause(exc)
                raise RuntimeError(f"chromium drew no image ({cause})") from exc

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _start(self):
        import kaleido

        for attempt in range(1, START_TRIES + 1):
            # no MathJax: kaleido would fetch it from a CDN, and the hall has no internet
            k = kaleido.Kaleido(mathjax=False)
            started = time.monotonic()
            try:
                self._call(k.open(), START_TIMEOUT)
                return k
            except Exception as exc:  # noqa: BLE001 - tried again, then reported with its cause
                self._close(k)
                if attempt == START_TRIES:
                    # a cancelled start comes back as choreographer's "closed immediately"
                    late = isinstance(exc, TimeoutError) or time.monotonic() - started >= START_TIMEOUT
                    raise RuntimeError(f"chromium for the images did not start ({START_TRIES} tries, "
                                       f"{START_TIMEOUT:.0f} s each; {'timed out' if late else _cause(exc)})"
                                       ) from exc
        raise AssertionError("unreachable")

    def _drop(self) -> None:
        if self._kaleido is not None:
            k, self._kaleido = self._kaleido, None
            self._close(k)

    def _close(self, k) -> None:
        try:
            self._call(k.close(), CLOSE_TIMEOUT)
        except Exception:  # noqa: BLE001 - a browser already gone, or one that does not answer
            pass
        process = getattr(k, "subprocess", None)
        if process is not None and process.poll() is None:
            process.kill()

    def _call(self, coro, timeout: float):
        """Run coro on the loop for at most `timeout` s; this thread waits a little longer, in
        case the cancelled step itself waits on a chromium that no longer answers."""
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            threading.Thread(target=self._loop.run_forever, name="atlas-kaleido", daemon=True).start()
        future = asyncio.run_coroutine_threadsafe(asyncio.wait_for(coro, timeout), self._loop)
        try:
            return future.result(timeout + GRACE)
        except TimeoutError:
            future.cancel()
            raise


def _exited(k) -> bool:
    """Whether kaleido's chromium process has ended (choreographer's Browser.subprocess, a Popen)."""
    process = getattr(k, "subprocess", None)
    return process is not None and process.poll() is not None


def _cause(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


_chromium = _Chromium()
atexit.register(_chromium.close)


def render_png(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """A PNG of the figure at width × height (the first call starts chromium)."""
    return _chromium.png(fig, width, height)


def chart_names(story: Story) -> dict[tuple[int, int], str]:
    """(slide index, figure index) → PNG file name, in slide order."""
    return {(i, k): f"{i + 1:02d}-{s.kind}{'' if len(s.figures) == 1 else f'-{k + 1}'}.png"
            for i, s in enumerate(story.slides) for k in range(len(s.figures))}


def map_years(story: Story) -> tuple[go.Figure | None, list[int]]:
    """The map slide's figure and the years of its frames."""
    for s in story.slides:
        if s.kind == "map" and s.figures:
            return s.figures[0], [int(f.name) for f in s.figures[0].frames]
    return None, []


def export_all(story: Story, out_dir: Path, progress: Progress | None = None) -> list[Path]:
    """Write every export into out_dir (created if missing); returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    names = chart_names(story)
    map_fig, years = map_years(story)
    steps = len(names) + len(years) + (1 if years else 0) + 2
    done, written = 0, []

    def step(path: Path, data: bytes) -> None:
        nonlocal done
        write_atomic(path, data)
        written.append(path)
        done += 1
        if progress:
            progress(done / steps, path.name)

    frames = []
    for year in years:
        frames.append(render_png(frame_figure(map_fig, year)))
        step(out_dir / f"map-{year}.png", frames[-1])
    images = {}
    for (i, k), name in names.items():
        fig = story.slides[i].figures[k]
        # the map slide shows the last year: that image is made already
        images[(i, k)] = frames[-1] if fig is map_fig else render_png(fig)
        step(out_dir / name, images[(i, k)])
    if frames:   # no map (no city chosen): no animation either
        step(out_dir / GIF, animation(frames))
    step(out_dir / DECK, build_deck(story, images))
    step(out_dir / REPORT, build_html(story, mode="report",
                                      map_frames=dict(zip(years, frames))).encode("utf-8"))
    return written


def animation(pngs: list[bytes]) -> bytes:
    """An endlessly looping GIF of the PNGs in turn; the last one stays longer."""
    frames = [Image.open(io.BytesIO(p)).convert("RGB").resize(GIF_SIZE, Image.LANCZOS)
              .quantize(colors=255, method=Image.Quantize.MEDIANCUT) for p in pngs]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], loop=0,
                   duration=[GIF_FRAME_MS] * (len(frames) - 1) + [GIF_LAST_MS], optimize=True)
    return out.getvalue()


def png_bundle(files: list[Path]) -> bytes:
    """The PNGs among the files, in one zip (for a single download)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:   # PNG is compressed already
        for path in files:
            if path.suffix == ".png":
                z.write(path, path.name)
    return out.getvalue()


@dataclass
class ExportJob:
    """An export made in a background thread, so the server keeps answering other users while
    kaleido draws; the page polls `share`, `current` and `done`. The thread touches nothing but
    this object and its own temporary folder."""
    story: Story
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="atlas-report-")))
    share: float = 0.0
    current: str = ""
    files: list[Path] = field(default_factory=list)
    error: str | None = None
    done: bool = False
    shown: bool = False          # the page has shown the finished export once

    def discard(self) -> None:
        """Remove this job's temporary folder (a newer export replaces it)."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def start(self) -> ExportJob:
        threading.Thread(target=self._run, name="atlas-export", daemon=True).start()
        return self

    def _run(self) -> None:
        try:
            self.files = export_all(self.story, self.folder, self._progress)
        except Exception as exc:  # noqa: BLE001 - shown to the user, the server goes on
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.done = True

    def _progress(self, share: float, name: str) -> None:
        self.share, self.current = share, name
