"""The data manager in headless Chromium against a server on a COPY of the fixture data:
sign in, upload a GB18030 CSV, preview, confirm, commit, see the history, restore."""
from __future__ import annotations


from analysis.editing import store
from tests.conftest import EDITOR_PASSWORD as PASSWORD
from tests.data_manager_files import NEW_BASE, fixture_text



def test_upload_preview_commit_restore_in_the_browser(editable_server, page, tmp_path):
    url, d = editable_server
    original = (d / "bases.csv").read_bytes()
    upload = tmp_path / "基地名单.csv"
    upload.write_bytes((fixture_text("bases") + NEW_BASE + "\n").encode("gb18030"))
    p = page.page

    p.goto(f"{url}/data_manager?lang=en")
    page.wait_for_app()
    p.get_by_role("heading", name="Data manager").wait_for()
    assert p.locator("[data-testid=stFileUploader]").count() == 0   # not before signing in
    p.get_by_label("Your name (recorded in the audit log)").fill("Browser Editor")
    p.get_by_label("Editor password").fill(PASSWORD)
    p.get_by_role("button", name="Sign in").click()
    p.get_by_text("Signed in as Browser Editor").wait_for()

    p.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(upload))
    p.get_by_text("Preview of the change").wait_for()
    p.locator("[data-testid=stMetricValue]").first.wait_for()
    page.wait_for_app()
    metrics = p.locator("[data-testid=stMetricValue]").all_inner_texts()
    assert metrics == ["1", "0", "0"]
    assert p.get_by_text("Text encoding: GB18030 (detected).").is_visible()
    commit = p.get_by_role("button", name="Commit")
    assert commit.is_disabled()
    p.get_by_text("I have checked the preview").click()
    page.wait_for_app()
    commit.click()
    p.get_by_text("Committed (#1)").wait_for()
    assert "fb-9,新都科技馆" in (d / "bases.csv").read_text(encoding="utf-8")
    assert store.history(d)[0].who == "Browser Editor"

    p.locator("[data-testid=stButtonGroup]").get_by_text("History", exact=True).click()
    p.get_by_text("What this commit changed").wait_for()
    assert "dm_view=history" in p.url                  # a copied link opens the same view
    p.get_by_text("Restore data/bases.csv to the version before commit #1").click()
    page.wait_for_app()
    p.get_by_role("button", name="Restore this version").click()
    p.get_by_text("Restored (commit #2)").wait_for()
    assert (d / "bases.csv").read_bytes() == original

    page.wait_for_app()
    # the language switch, drawn with CJK fonts
    p.locator("[data-testid=stSidebar]").get_by_text("中文").wait_for()
    assert p.locator("[data-testid=stException]").count() == 0
    assert page.external_requests() == []
