"""Which existing record a name is: the same normalised name in the same city is that record;
a near name (a small edit distance, or one name containing the other) is only a possible
duplicate, listed for the user, never merged. String matching: rapidfuzz."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from analysis.editing.intake.tables import norm

NEAR_EDITS = 2        # at most this many characters added, removed or changed,
NEAR_SHARE = 0.25     # and at most this share of the longer name
MIN_CONTAINED = 4     # a name inside another counts only from this length on


def name_key(name: str) -> str:
    """The name as compared: NFKC (（东区） = (东区), full-width digits), no spaces, lower case."""
    return norm(name)


@dataclass(frozen=True, eq=False)
class Known:
    """Records of one table (or two) to match names against: id, name_zh, city."""
    frame: pd.DataFrame

    @classmethod
    def of(cls, *frames: pd.DataFrame | None, id_columns: tuple[str, ...]) -> "Known":
        parts = []
        for frame, key in zip(frames, id_columns):
            if frame is not None and len(frame):
                parts.append(pd.DataFrame({"id": frame[key].astype(str),
                                           "name_zh": frame["name_zh"].astype(str),
                                           "city": frame["city"].astype(str)}))
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["id", "name_zh", "city"], dtype=str)
        return cls(out.assign(key=out["name_zh"].map(name_key)))

    @cached_property
    def _by_key(self) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        for r in self.frame.itertuples():
            out.setdefault(r.key, []).append((r.id, r.city))
        return out

    @cache
    def _in(self, city: str | None) -> tuple[list[str], list[str], list[str]]:
        f = self.frame if not city else self.frame[self.frame["city"] == city]
        return list(f["key"]), list(f["id"]), list(f["name_zh"])

    def exact(self, name: str, city: str | None = None) -> list[str]:
        """Ids with this normalised name (in `city` when given)."""
        return [i for i, c in self._by_key.get(name_key(name), []) if not city or c == city]

    def near(self, name: str, city: str | None = None) -> list[tuple[str, str]]:
        """(id, name) of records whose name is close but not the same."""
        keys, ids, names = self._in(city or None)
        key = name_key(name)
        found = {i for _, d, i in process.extract(key, keys, scorer=Levenshtein.distance,
                                                  score_cutoff=NEAR_EDITS, limit=None)
                 if d <= NEAR_SHARE * max(len(key), len(keys[i]))}
        if len(key) >= MIN_CONTAINED:
            found |= {i for _, score, i in process.extract(key, keys, scorer=fuzz.partial_ratio,
                                                           score_cutoff=100, limit=None)
                      if min(len(keys[i]), len(key)) >= MIN_CONTAINED}
        return [(ids[i], names[i]) for i in sorted(found) if keys[i] != key]

    def closest(self, name: str, limit: int = 3) -> list[str]:
        """The known names nearest to an unknown one, for the message that refuses it."""
        found = process.extract(name_key(name), list(self.frame["key"]), scorer=fuzz.ratio,
                                limit=limit)
        return [self.frame["name_zh"].iloc[i] for _, _, i in found]
