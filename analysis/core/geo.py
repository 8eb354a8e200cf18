"""Map geometry: the shipped district boundaries (loaded once), map framing, and the curved
arcs drawn between cooperating parties.

Arcs are quadratic Bézier curves sampled at a fixed number of points and packed, one after
another with a NaN gap between them, into flat float32 arrays: plotly draws every arc of one
style as ONE trace, and float32 arrays travel to the browser as compact base64.
"""
from __future__ import annotations

import hashlib
import json
import math
from functools import cache
from pathlib import Path

import numpy as np

from analysis.core.loading import REPO_ROOT
from analysis.core.served import served_file

GEOJSON_PATH = REPO_ROOT / "data" / "geo" / "districts.geojson"
ARC_SEGMENTS = 12          # straight pieces per arc: smooth at city scale, cheap to send
ARC_POINTS = ARC_SEGMENTS + 1
ARC_BEND = 0.18            # control point offset, as a share of the chord length


class SharedGeoJSON(dict):
    """Boundaries shared, never modified: plotly deep-copies trace data when a trace is added
    and again in to_dict() (~0.1 s each for these 500 KB of coordinates), so a copy of this
    object is the object itself."""

    def __deepcopy__(self, memo) -> SharedGeoJSON:
        return self


def districts_geojson(path: Path = GEOJSON_PATH) -> SharedGeoJSON:
    """The 58 district polygons of Chengdu and Chongqing (feature id = 6-digit adcode), read
    once per file (named or by default: one copy of their ~30k coordinate lists)."""
    return _read_geojson(Path(path).resolve())


@cache
def _read_geojson(path: Path) -> SharedGeoJSON:
    with path.open(encoding="utf-8") as f:
        return SharedGeoJSON(json.load(f))


def feature_subset(geojson: dict, codes) -> SharedGeoJSON:
    """A FeatureCollection with only these districts and only what a map trace reads (id and
    shape), so each trace carries only its shapes: the names are in the hover cards."""
    wanted = set(codes)
    return SharedGeoJSON(type="FeatureCollection",
                         features=[{"type": "Feature", "id": f["id"], "geometry": f["geometry"]}
                                   for f in geojson["features"] if f["id"] in wanted])


def served_districts(path: Path = GEOJSON_PATH) -> str | None:
    """The address the browser loads every district's shape from (analysis.core.served, named
    by its content), for traces that name it rather than carry the coordinates: writing those
    500 KB into each rerun's figure JSON was over half of st.plotly_chart's time on the map.
    None when it cannot be served. Checked on every call (a stat): another process may have
    replaced it with other shapes."""
    tag, data = _district_file(path)
    return served_file("districts", tag, ".json", data)


@cache
def _district_file(path: Path) -> tuple[str, bytes]:
    """(content hash, bytes) of the served districts: ids and shapes only."""
    geojson = districts_geojson(path)
    data = json.dumps(feature_subset(geojson, [f["id"] for f in geojson["features"]]),
                      separators=(",", ":")).encode()
    return hashlib.sha256(data).hexdigest()[:16], data


def trace_shapes(codes, served: str | None) -> str | SharedGeoJSON:
    """A map trace's `geojson` for these districts: the served file's address (the trace's
    locations pick its districts from it), or their shapes inline when `served` is None."""
    return served or feature_subset(districts_geojson(), codes)


@cache
def _feature_bounds(path: Path = GEOJSON_PATH) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for feature in districts_geojson(path)["features"]:
        coords = np.array(list(_coordinates(feature["geometry"])))
        out[feature["id"]] = (*coords.min(axis=0), *coords.max(axis=0))
    return out


def _coordinates(geometry: dict):
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def bounds(codes, extra_points=()) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) around these districts and any extra (lon, lat) points."""
    wanted = set(codes)
    boxes = [b for code, b in _feature_bounds().items() if code in wanted]
    boxes += [(lon, lat, lon, lat) for lon, lat in extra_points
              if lon is not None and lat is not None and math.isfinite(lon) and math.isfinite(lat)]
    if not boxes:
        return None
    west, south, east, north = zip(*boxes)
    return min(west), min(south), max(east), max(north)


def framing(box: tuple[float, float, float, float] | None, width_px: int = 460,
            height_px: int = 560, padding: float = 0.03) -> tuple[dict, float]:
    """Centre and zoom (web-mercator) that fit the box into a map of about this size (the
    map column beside the selection panel, less the colour bar, on a 1400 px screen)."""
    if box is None:  # both cities
        box = (102.9, 28.1, 110.2, 32.3)
    west, south, east, north = box
    lon_span = max(east - west, 0.05) * (1 + 2 * padding)
    y_south, y_north = _mercator_y(south), _mercator_y(north)
    y_span = max(y_north - y_south, 1e-4) * (1 + 2 * padding)
    # MapLibre's world is 512 px wide at zoom 0
    zoom_x = math.log2(width_px * 360 / (512 * lon_span))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * y_span))
    centre = {"lon": (west + east) / 2, "lat": _mercator_lat((y_south + y_north) / 2)}
    return centre, round(min(zoom_x, zoom_y), 2)


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _mercator_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def _control_points(lon0, lat0, lon1, lat1, bend: float):
    """Control point of each arc, bent to the same side whichever way round the pair is given."""
    lon0, lat0, lon1, lat1 = (np.asarray(v, dtype=np.float64) for v in (lon0, lat0, lon1, lat1))
    swap = (lon0 > lon1) | ((lon0 == lon1) & (lat0 > lat1))
    west_lon, west_lat = np.where(swap, lon1, lon0), np.where(swap, lat1, lat0)
    east_lon, east_lat = np.where(swap, lon0, lon1), np.where(swap, lat0, lat1)
    # perpendicular to the west→east chord, turned to the left (northwards for an east-west chord)
    c_lon = (west_lon + east_lon) / 2 - bend * (east_lat - west_lat)
    c_lat = (west_lat + east_lat) / 2 + bend * (east_lon - west_lon)
    return lon0, lat0, lon1, lat1, c_lon, c_lat


def arc_paths(lon0, lat0, lon1, lat1, bend: float = ARC_BEND) -> tuple[np.ndarray, np.ndarray]:
    """Flat (lon, lat) float32 arrays: ARC_POINTS points per arc, then a NaN gap, per arc."""
    lon0, lat0, lon1, lat1, c_lon, c_lat = _control_points(lon0, lat0, lon1, lat1, bend)
    t = np.linspace(0.0, 1.0, ARC_POINTS)[None, :]
    a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t ** 2
    lon = a * lon0[:, None] + b * c_lon[:, None] + c * lon1[:, None]
    lat = a * lat0[:, None] + b * c_lat[:, None] + c * lat1[:, None]
    gap = np.full((len(lon0), 1), np.nan)
    return (np.hstack([lon, gap]).astype(np.float32).ravel(),
            np.hstack([lat, gap]).astype(np.float32).ravel())


def arc_midpoints(lon0, lat0, lon1, lat1, bend: float = ARC_BEND) -> tuple[np.ndarray, np.ndarray]:
    """The point halfway along each arc (t = 0.5), where its hover card sits."""
    lon0, lat0, lon1, lat1, c_lon, c_lat = _control_points(lon0, lat0, lon1, lat1, bend)
    return ((0.25 * lon0 + 0.5 * c_lon + 0.25 * lon1).astype(np.float32),
            (0.25 * lat0 + 0.5 * c_lat + 0.25 * lat1).astype(np.float32))
