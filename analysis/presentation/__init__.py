"""Forum presenter mode: the story as slides (story.py), the hall look (theme.py) and map
(hall_map.py), and its renderings: HTML slides and report (html.py), deck.pptx (deck.py), every
export in one call (export.py), the `report` command (cli.py)."""
