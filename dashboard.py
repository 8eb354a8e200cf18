"""Entry point: `streamlit run dashboard.py`. The shell (pages/shell.py) declares the pages,
loads the data, reads the filters, runs the chosen page and draws the sidebar."""
from pages import shell

shell.run()
