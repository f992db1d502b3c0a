"""enterprises' figures on the school dashboard (contract: accounts/dashboard.py)."""

from .careers.dashboard import CAREERS_KPIS

DASHBOARD_KPIS = [*CAREERS_KPIS]
