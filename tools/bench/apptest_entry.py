"""Entry script for the bench's AppTest: runs dashboard.py from a folder with no pages/ beside
it (see tests/apptest_entry.py: AppTest would otherwise rerun page files without the shell)."""
import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parents[2] / "dashboard.py"), run_name="__main__")
