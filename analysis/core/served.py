"""Files the app's own server hands to the browser: Streamlit serves the folder beside
dashboard.py at app/static/ (server.enableStaticServing in .streamlit/config.toml), so a page
can name a large, unchanging asset by its address instead of sending it on every rerun."""
from __future__ import annotations

from analysis.core.atomic import write_atomic
from analysis.core.loading import REPO_ROOT

STATIC_DIR = REPO_ROOT / "static"


def served_file(stem: str, tag: str, suffix: str, data: bytes) -> str | None:
    """The address, relative to the app's pages, of `data` as STATIC_DIR/<stem>-<tag><suffix>,
    written there unless it is already (tag: a version or a content hash, so a browser never
    keeps an older file under the same name). Earlier files of this stem are removed. None
    when the folder cannot be written: the caller sends the data inline then."""
    path = STATIC_DIR / f"{stem}-{tag}{suffix}"
    try:
        if not (path.is_file() and path.stat().st_size == len(data)):
            write_atomic(path, data)
        for old in STATIC_DIR.glob(f"{stem}-*{suffix}"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return None
    return f"app/static/{path.name}"
