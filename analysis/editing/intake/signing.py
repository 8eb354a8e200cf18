"""One signing after a ceremony, as a one-row agreement list: the data manager's form builds
this file and gives it to plan() like an uploaded list, so the form has no second path for
validation, preview or commit. Parties are ids (picked from the known ones) or names (typed:
resolved as in a list, or created with create_missing, at their city and district if given)."""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

FILE_NAME = "signing-form.csv"   # the file name the preview, the problems and the audit log show
# Headers as a list has them (column_aliases.toml / value_aliases.toml), so plan() reads them.
HEADERS = ("kind", "party_a_id", "party_b_id", "signed_on", "event_id", "title",
           "甲方城市", "甲方区县", "乙方城市", "乙方区县")


@dataclass(frozen=True)
class Party:
    text: str               # a known id, or a name as typed
    city: str = ""          # for a new party: Chengdu / Chongqing / "" (then from the name)
    district: str = ""      # for a new party: a district's name, or "" (city level)


@dataclass(frozen=True)
class Signing:
    kind: str
    party_a: Party
    party_b: Party
    signed_on: dt.date | None
    event_id: str = ""
    title: str = ""

    def as_file(self) -> tuple[bytes, str]:
        """The signing as the bytes and name of a one-row CSV list."""
        row = (self.kind, self.party_a.text.strip(), self.party_b.text.strip(),
               self.signed_on.isoformat() if self.signed_on else "", self.event_id,
               self.title.strip(), self.party_a.city, self.party_a.district,
               self.party_b.city, self.party_b.district)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerows([HEADERS, row])
        return buf.getvalue().encode("utf-8"), FILE_NAME
