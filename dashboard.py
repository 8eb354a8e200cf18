"""Entry point: `streamlit run dashboard.py`. Declares the pages, builds the shared shell
(data, sidebar filters kept in the URL) and runs the chosen page (see pages/shared.py)."""
from pages import shared

shared.app_shell().run()
