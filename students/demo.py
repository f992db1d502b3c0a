"""The students app's part of `seed_demo`, feature by feature, in dependency order."""

from __future__ import annotations

from .competitions.demo import seed_competitions
from .lectures.demo import seed_lectures
from .outlook.demo import seed_alumni
from .points.demo import seed_ledger
from .profiles.demo import seed_graduates, seed_profiles
from .radar.demo import seed_grades, seed_term_snapshots
from .rankings.demo import seed_rankings
from .stars.demo import seed_honours


def seed(ctx) -> None:
    seed_profiles(ctx)
    seed_graduates(ctx)
    seed_grades(ctx)
    seed_term_snapshots(ctx)
    seed_ledger(ctx)
    seed_competitions(ctx)
    seed_lectures(ctx)
    seed_honours(ctx)
    seed_rankings(ctx)
    seed_alumni(ctx)
