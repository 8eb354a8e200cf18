"""AppTest of the data manager page on copies of the fixture: editing off without a password,
sign-in, upload -> validation report / preview -> commit -> history -> restore, and repair of
invalid data while the other pages are paused."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analysis.core.loading import load
from analysis.editing import auth, store
from tests.conftest import ROOT, app_test
from tests.data_manager_files import NEW_BASE, fixture_text

PAGE = str(ROOT / "pages" / "data_manager.py")


def open_page(lang="en") -> AppTest:
    at = app_test()
    at.switch_page(PAGE)
    at.query_params["lang"] = lang
    return at.run()


def sign_in(at: AppTest, password: str, who="Wang Fang") -> AppTest:
    at.text_input(key="dm_who").set_value(who)
    at.text_input(key="dm_password").set_value(password)
    return next(b for b in at.button if b.form_id == "dm_login").click().run()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    n = at.session_state["dm_upload_n"] if "dm_upload_n" in at.session_state else 0
    return at.file_uploader(key=f"dm_file_{n}").set_value((name, data, "text/csv")).run()


def confirm(at: AppTest) -> AppTest:
    """Tick the confirmation of the preview shown (its key names the preview's inputs)."""
    return next(c for c in at.checkbox if "_confirm_" in (c.key or "")).check().run()


def keys(at: AppTest, kind: str) -> set[str]:
    return {w.key for w in at.get(kind) if getattr(w, "key", None)}


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in at.get(kind)]


def alerts(at: AppTest) -> list[str]:
    """Every st.success / error / warning / info text."""
    return [e.value for e in [*at.success, *at.error, *at.warning, *at.info]]


def report(at: AppTest):
    """The validation report: the first table with a message column."""
    return next(d.value for d in at.dataframe if "message" in d.value.columns)


def starts(at: AppTest, prefix: str) -> bool:
    return any(t.startswith(prefix) for t in alerts(at))


def test_without_a_password_there_is_no_way_to_write(data):
    at = open_page()
    assert not at.exception
    assert at.title[0].value == "Data manager"
    assert starts(at, "Editing is turned off. To turn it on, the administrator sets the environment variable ATLAS_EDITOR_PASSWORD")
    assert at.file_uploader.len == 0 and at.text_input.len == 0
    assert not {"dm_commit", "dm_restore"} & keys(at, "button")
    assert len(at.get("download_button")) == 4          # the table and its template, CSV and XLSX
    assert at.segmented_control.len == 0
    # even a session that claims to be signed in cannot write
    at.session_state["dm_token"] = "forged.token"
    at.run()
    assert at.file_uploader.len == 0


def test_a_wrong_password_is_refused(data, password):
    at = sign_in(open_page(), "nope")
    assert "Wrong password." in alerts(at)
    assert at.file_uploader.len == 0
    at = sign_in(at, password)
    assert at.file_uploader.len == 1
    assert "Signed in as Wang Fang" in texts(at, "caption")


def test_upload_preview_commit_history_restore(data, password):
    original = (data / "bases.csv").read_bytes()
    at = sign_in(open_page(), password)
    text = fixture_text("bases").replace("Jinjiang Museum,", "Jinjiang City Museum,") + NEW_BASE + "\n"
    at = upload(at, "基地名单.csv", text.encode("gb18030"))
    assert not at.exception
    assert {m.label: m.value for m in at.metric} == {"Added": "1", "Changed": "1", "Removed": "0"}
    assert any("- Text encoding: GB18030 (detected)." in t for t in alerts(at))
    commit = at.button(key="dm_commit")
    assert commit.disabled                                 # nothing happens before the confirm
    confirm(at)
    at.button(key="dm_commit").click().run()
    assert not at.exception
    assert starts(at, "Committed (#1): bases: 1 added, 1 changed, 0 removed.")
    assert "fb-9" in (data / "bases.csv").read_text(encoding="utf-8")
    assert at.file_uploader[0].value is None               # a fresh uploader after the commit
    entry = store.history(data)[0]
    assert (entry.who, entry.via, entry.source) == ("Wang Fang", "web", "基地名单.csv")

    # History: the commit is listed with what it changed, and can be undone
    at.segmented_control(key="dm_view").set_value("history").run()
    assert at.query_params["dm_view"] == "history"       # the view is in the URL
    assert at.selectbox(key="dm_pick").value == 1
    assert {m.label: m.value for m in at.metric} == {"Added": "1", "Changed": "1", "Removed": "0"}
    assert "dm_restore" in keys(at, "button") and at.button(key="dm_restore").disabled
    at.checkbox(key="dm_restore_confirm_1").check().run()
    at.button(key="dm_restore").click().run()
    assert not at.exception
    assert "Restored (commit #2): bases is back to the version before commit #1." in alerts(at)
    assert at.segmented_control(key="dm_view").value == "history"   # still on the same view
    assert at.checkbox(key="dm_restore_confirm_1").value is False     # not left ticked
    assert (data / "bases.csv").read_bytes() == original


def test_a_bad_upload_gets_a_report_and_changes_nothing(data, password):
    before = (data / "agreements.csv").read_bytes()
    at = sign_in(open_page(), password)
    at.selectbox(key="dm_table").set_value("agreements").run()
    assert at.query_params["dm_table"] == "agreements"
    header = fixture_text("agreements").splitlines()[0]
    bad = header + "\nfa-9,base_school,fb-1,fb-2,2023-02-30,,x,https://example.org/x\n"
    at = upload(at, "协议.csv", bad.encode("utf-8"))
    assert not at.exception
    assert at.error[0].value == "Validation report: 2 problem(s); nothing has been changed"
    assert report(at).to_dict("records") == [
        {"file": "协议.csv", "row": "2", "column": "party_b_id",
         "message": "'fb-2' must be a school in a base_school agreement"},
        {"file": "协议.csv", "row": "2", "column": "signed_on",
         "message": "'2023-02-30' is not a valid date in YYYY-MM-DD form"}]
    assert "dm_check_report" in keys(at, "download_button")
    assert "dm_commit" not in keys(at, "button")
    assert (data / "agreements.csv").read_bytes() == before


def test_report_in_chinese_with_chinese_headers(data, password):
    at = sign_in(open_page("zh"), password)
    at.radio(key="lang").set_value("zh").run()
    text = "编号,名称,类别,城市,经度,纬度,出处\nfb-9,新都科技馆,science_center,Chengdu,121.5,30.8,seed:x\n"
    at = upload(at, "新基地.csv", text.encode("gbk"))
    assert at.error[0].value == "校验报告：1 个问题，数据未作任何改动"
    assert report(at).to_dict("records") == [
        {"file": "新基地.csv", "row": "2", "column": "经度 (lon)", "message": "121.5 超出川渝地区范围（97.3–110.2）"}]


def test_invalid_data_on_disk_can_be_repaired_here(data, password):
    broken = fixture_text("agreements").replace("2022-05-01", "2022-13-01")
    (data / "agreements.csv").write_text(broken, encoding="utf-8")
    at = sign_in(open_page(), password)
    assert not at.exception
    assert starts(at, "The data on disk has 1 problem(s) right now")
    at.selectbox(key="dm_table").set_value("agreements").run()
    at.radio(key="dm_mode").set_value("replace").run()
    # the fixture's fa-8 title is a formula, which an upload may not hold: corrected too
    fixed = fixture_text("agreements").replace('"=HYPERLINK(""http://x"",""<b>x</b>"")"', "Yuzhong link")
    at = upload(at, "agreements.csv", fixed.encode("utf-8"))
    assert {m.label: m.value for m in at.metric} == {"Added": "0", "Changed": "2", "Removed": "0"}
    confirm(at)
    at.button(key="dm_commit").click().run()
    assert not at.exception
    assert load(data)[1] == []
    assert not starts(at, "The data on disk has")   # the page has its data back


def test_a_table_changed_after_the_preview_is_not_overwritten(data, password):
    at = sign_in(open_page(), password)
    at = upload(at, "b.csv", (fixture_text("bases") + NEW_BASE + "\n").encode())
    confirm(at)
    # someone else commits in between
    (data / "bases.csv").write_text(fixture_text("bases").replace("Wuhou", "Wu Hou"), encoding="utf-8")
    at.button(key="dm_commit").click().run()
    assert starts(at, "Not committed: someone changed this table after your preview.")
    assert "fb-9" not in (data / "bases.csv").read_text(encoding="utf-8")


def test_repeated_wrong_passwords_make_the_page_wait(data, password):
    at = open_page()
    for _ in range(auth.FREE_ATTEMPTS - 1):
        at = sign_in(at, "nope")
        assert "Wrong password." in alerts(at)
    at = sign_in(at, "nope")
    assert "Too many wrong passwords: try again in 1 s." in alerts(at)
    at = sign_in(at, password)                      # not even checked while waiting
    assert at.file_uploader.len == 0


def test_named_accounts_sign_in_and_one_session_cannot_lock_out_another(data, monkeypatch):
    """With accounts, the form asks for the account and the audit's `who` is that account;
    failed passwords slow down the session that typed them, not the next one."""
    import json
    import uuid

    pw = f"pw-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("ATLAS_EDITORS", json.dumps({"Li Na": pw}))
    attacker = open_page()
    assert [t.label for t in attacker.text_input][0] == "Account"
    for _ in range(auth.FREE_ATTEMPTS + 1):
        sign_in(attacker, "wrong", who="Li Na")
    assert starts(attacker, "Too many wrong passwords")     # this session now waits
    editor = sign_in(open_page(), pw, who="li na")    # another session, the right password
    assert "dm_token" in editor.session_state
    assert any("Li Na" in c.value for c in editor.caption)
