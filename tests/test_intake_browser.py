"""The import flow of the data manager in headless Chromium, on a COPY of the fixture data: a
published .xlsx list (title row, 序号, Chinese headers) uploaded as it is, refused without a
source, understood, previewed, committed; then one signing with a new school. No request may
leave 127.0.0.1."""
from __future__ import annotations

import pytest

from analysis.editing import store
from tests.conftest import EDITOR_PASSWORD as PASSWORD
from tests.data_manager_files import xlsx
from tests.intake_files import SOURCE, files_in, lines, new_lines
from tests.test_intake_lists import LIST
from tests.test_intake_page import LIST_ROWS



def pick(p, label: str, text: str) -> None:
    """Search a selectbox as a user does: click it, type, take the first match."""
    box = p.get_by_label(label, exact=True)
    box.click()
    box.fill(text)
    p.keyboard.press("Enter")


@pytest.mark.slow
def test_a_published_list_and_one_signing_in_the_browser(editable_server, page, tmp_path):
    url, d = editable_server
    # a file name that would be markup if it were not escaped (an image, a colour, an emoji, LaTeX)
    name = "![x](evil.png) :red[名单] :smile: $x$ *b*.xlsx"
    listing = tmp_path / name
    listing.write_bytes(xlsx(LIST))
    p = page.page
    p.goto(f"{url}/data_manager?lang=en")
    page.wait_for_app()
    p.get_by_label("Your name (recorded in the audit log)").fill("Browser Editor")
    p.get_by_label("Editor password").fill(PASSWORD)
    p.get_by_role("button", name="Sign in").click()
    p.get_by_text("Signed in as Browser Editor").wait_for()

    untouched = files_in(d)
    p.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(listing))
    p.get_by_text("Validation report: 1 problem(s); nothing has been changed").wait_for()
    read = p.locator("[data-testid=stMarkdownContainer] p", has_text=": 4 rows.").inner_text()
    assert read.replace("\u2060", "") == f"Read '{name}': 4 rows."   # (md breaks autolinks with U+2060)
    assert p.locator("[data-testid=stMain] img").count() == 0
    assert p.get_by_role("button", name="Commit").count() == 0
    assert files_in(d) == untouched

    before = lines(d, "bases")
    source = p.get_by_label("Source of the list (required unless the file has a source column)", exact=True)
    source.fill(SOURCE)
    source.press("Enter")
    p.get_by_text("Preview of the change").wait_for()
    page.wait_for_app()
    for heading in ("What was understood", "Columns", "Values", "Districts",
                    "New records and their generated ids (3)", "Matched existing records, merged by id (1)",
                    "Rows at city level (1): the city centre, geo_precision = city"):
        assert p.get_by_text(heading, exact=True).is_visible(), heading
    assert p.locator("li", has_text="(every row)").inner_text().replace("\u2060", "") == \
        f"Source: {SOURCE} (every row)"
    assert p.locator("[data-testid=stMetricValue]").all_inner_texts() == ["3", "1", "0"]
    p.get_by_text("I have checked the preview").click()
    page.wait_for_app()
    p.get_by_role("button", name="Commit").click()
    p.get_by_text("Committed (#1)").wait_for()
    assert new_lines(d, "bases", before) == LIST_ROWS
    assert store.history(d)[0].source == name

    # one signing: a known base found by typing, a new school typed in full
    page.wait_for_app()
    p.locator("[data-testid=stButtonGroup]").get_by_text("One signing", exact=True).click()
    p.get_by_text("Pick or type both parties and give the date.").wait_for()
    pick(p, "Kind", "Base–school")
    page.wait_for_app()
    pick(p, "First party · Base", "锦江博物")
    page.wait_for_app()
    pick(p, "Second party · School", "+ A new party")
    page.wait_for_app()
    p.get_by_label("Full name of the new party", exact=True).fill("锦江外国语小学")
    p.get_by_label("Full name of the new party", exact=True).press("Enter")
    page.wait_for_app()
    pick(p, "City of the new party", "Chengdu")          # no district: city level
    page.wait_for_app()
    date = p.get_by_label("Date signed", exact=True)      # a field of year / month / day segments
    date.locator("[role=spinbutton]").first.click()
    p.keyboard.type("20240518")
    p.keyboard.press("Tab")
    page.wait_for_app()
    p.get_by_label("Source (required)", exact=True).fill("https://example.gov.cn/news/0518")
    p.get_by_label("Source (required)", exact=True).press("Enter")
    page.wait_for_app()
    p.get_by_text("Create missing parties", exact=True).click()
    p.get_by_text("Parties to create (1), same source, same commit").wait_for()
    page.wait_for_app()
    before = {t: lines(d, t) for t in ("schools", "agreements")}
    p.get_by_text("I have checked the preview").click()
    page.wait_for_app()
    p.get_by_role("button", name="Commit").click()
    p.get_by_text("Committed (#3)").wait_for()
    assert new_lines(d, "schools", before["schools"]) == [
        "cd-s-001,锦江外国语小学,,primary,Chengdu,,104.0657,30.6574,city,https://example.gov.cn/news/0518"]
    assert new_lines(d, "agreements", before["agreements"]) == [
        "agr-2024-05-18-01,base_school,fb-1,cd-s-001,2024-05-18,,,https://example.gov.cn/news/0518"]
    assert [e.who for e in store.history(d)] == ["Browser Editor"] * 3
    assert p.locator("[data-testid=stException]").count() == 0
    assert page.external_requests() == []
