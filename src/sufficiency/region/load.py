"""The member councils of a region as Datasets, minimised (issue 21).

A member given by its share is read (and refused if it carries identifiers); a member given by
its data folder is loaded through ingest and minimised in memory under a key made for this run
and never kept, so nothing downstream ever holds a child's id, postcode or date of birth. What
its own outputs publish (``publication``: the report's, passed in by the interfaces) is worked
out from its data before it is minimised, as ``sufficiency region share`` does for a share.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sufficiency.dataset import Dataset
from sufficiency.ingest.problems import Problem
from sufficiency.region.config import Member, RegionConfig
from sufficiency.region.minimise import minimise, pseudonym_expr
from sufficiency.region.share import read_share
from sufficiency.region.shared import Publication, SharedDataset, geography_of, with_geography

#: What a council's own outputs publish, worked out from its full Dataset (by date).
Publisher = Callable[[Dataset], Mapping[dt.date, Publication]]


class MemberError(ValueError):
    """A member council that cannot be loaded; ``problems`` names each reason."""

    def __init__(self, code: str, source: str, problems: list[Problem]) -> None:
        self.code = code
        self.problems = problems
        super().__init__(f"member {code} ({source}): {len(problems)} problem(s)")


@dataclass(frozen=True)
class Region:
    """A region's councils (minimised Datasets by ONS code) and its configuration."""

    config: RegionConfig
    councils: Mapping[str, Dataset]


def shared_view(
    ds: Dataset, secret: bytes, published: Mapping[dt.date, Publication] | None = None
) -> SharedDataset:
    """What a share of ``ds`` would hold, built in memory (no file)."""
    geography = geography_of(ds).with_columns(pseudonym_expr("CHILD", secret))
    return with_geography(minimise(ds, secret), geography, published)


def load_member(member: Member, publisher: Publisher | None = None) -> Dataset:
    """One member's minimised Dataset, or MemberError naming its problems; a data folder's with
    what ``publisher`` says its own outputs publish (a share carries its own)."""
    if member.share is not None:
        ds: Dataset = read_share(member.share)
    else:
        from sufficiency.ingest import load_data

        assert member.data is not None
        result = load_data(member.data)
        errors = [p for p in result.problems if p.severity == "error"]
        if result.dataset is None or errors:
            raise MemberError(member.code, str(member.data), errors)
        published = None if publisher is None else publisher(result.dataset)
        ds = shared_view(result.dataset, os.urandom(32), published)
    if ds.profile.code != member.code:
        source = str(member.share or member.data)
        raise MemberError(
            member.code,
            source,
            [
                Problem.whole_file(
                    "error",
                    "member_code",
                    source,
                    f"holds council {ds.profile.code}, not {member.code} as REGION.toml says",
                )
            ],
        )
    return ds


def load_members(config: RegionConfig, publisher: Publisher | None = None) -> Region:
    """Every member council, in REGION.toml's order (``publisher``: see ``load_member``)."""
    return Region(config, {m.code: load_member(m, publisher) for m in config.members})
