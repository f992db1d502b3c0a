"""Demo rank table."""

from __future__ import annotations


def seed_rankings(ctx) -> None:
    """Fill the rank table now (points and every competency) rather than wait for
    the debounced refresh tasks the grants above asked for."""
    import time

    from .services import rankings_refresh_all

    t = time.perf_counter()
    done = rankings_refresh_all()
    ctx.log(f"growth: rank table refreshed for {len(done)} metrics ({sum(done.values())} rows) "
            f"in {time.perf_counter() - t:.1f}s")
