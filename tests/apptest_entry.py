"""Entry script for AppTest: runs dashboard.py from a folder with no pages/ beside it.

AppTest re-detects Streamlit's legacy pages-folder mode on every run, and with pages/ next to
the entry script it would run the page file alone on reruns, without the shell dashboard.py
builds. A real server only does that on its first run (pages/shared.py handles it).
"""
import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent.parent / "dashboard.py"), run_name="__main__")
