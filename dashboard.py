"""Entry point: `streamlit run dashboard.py`. The shell (pages/shell.py) declares the pages,
loads the data, draws the sidebar and runs the chosen page."""
from pages import shell

shell.run()
