"""The compare page's URL state: read, checked against what the data offers, written back."""
from __future__ import annotations

from analysis.compare.view import CompareView, Options

from_query = CompareView.from_query
from analysis.core.schema import STAGES

OPTIONS = Options(areas=("Chengdu", "Chongqing", "510104", "500103"),
                  default_areas=("Chengdu", "Chongqing"), bases=("fb-3", "fb-1"))

DEFAULT = CompareView(
    cmp_section="side", cmp_areas=("Chengdu", "Chongqing"), cmp_trend="agreements", cmp_norm="per_100_institutions",
    cmp_rank="agreements_per_100k", cmp_gap_km=10, cmp_base="fb-3", cmp_stages=STAGES,
    cmp_km=500, cmp_scope="any", cmp_top=20)


def test_defaults_when_the_url_says_nothing():
    assert from_query({}, OPTIONS) == DEFAULT


def test_a_url_reproduces_the_view_and_round_trips():
    q = {"cmp_section": "gaps", "cmp_areas": "510104,Chongqing", "cmp_trend": "cross_city", "cmp_norm": "per_100k",
         "cmp_rank": "schools_reached_per_base", "cmp_gap_km": "25", "cmp_base": "fb-1",
         "cmp_stages": "primary,high", "cmp_km": "50", "cmp_scope": "cross", "cmp_top": "7"}
    view = from_query(q, OPTIONS)
    assert view == CompareView("gaps", ("510104", "Chongqing"), "cross_city", "per_100k",
                               "schools_reached_per_base", 25, "fb-1", ("primary", "high"), 50,
                               "cross", 7)
    assert view.to_query() == q
    assert from_query(view.to_query(), OPTIONS) == view


def test_bad_values_fall_back_never_fail():
    q = {"cmp_section": "everything", "cmp_areas": "Atlantis,Chengdu,Chengdu", "cmp_trend": "bogus", "cmp_rank": "';drop",
         "cmp_gap_km": "-3", "cmp_base": "fb-99", "cmp_stages": "nursery", "cmp_km": "9999",
         "cmp_scope": "moon", "cmp_top": "many"}
    view = from_query(q, OPTIONS)
    assert view.cmp_section == "side"
    assert view.cmp_areas == ("Chengdu",)          # unknown and repeated areas dropped
    assert view.cmp_trend == "agreements" and view.cmp_rank == "agreements_per_100k"
    assert (view.cmp_gap_km, view.cmp_km, view.cmp_top) == (1, 500, 20)   # clamped, default
    assert view.cmp_base == "fb-3" and view.cmp_scope == "any"
    assert view.cmp_stages == STAGES       # nothing valid: the default


def test_an_emptied_choice_stays_empty():
    view = from_query({"cmp_areas": "", "cmp_stages": ""}, OPTIONS)
    assert view.cmp_areas == () and view.cmp_stages == ()
    assert view.to_query()["cmp_areas"] == ""


def test_widget_state_is_checked_against_new_options():
    """The sidebar narrowed the cities: areas and base no longer offered are dropped."""
    narrower = Options(areas=("Chengdu", "510104"), default_areas=("Chengdu",), bases=("fb-1",))
    view = from_query({**DEFAULT.to_query(), "cmp_areas": "Chengdu,500103"}, narrower)
    assert view.cmp_areas == ("Chengdu",) and view.cmp_base == "fb-1"
    no_bases = Options(areas=(), default_areas=(), bases=())
    assert from_query(DEFAULT.to_query(), no_bases).cmp_base is None
    assert from_query(DEFAULT.to_query(), no_bases).to_query()["cmp_base"] == ""
