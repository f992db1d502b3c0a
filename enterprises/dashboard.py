"""Figures the enterprises app contributes to the school dashboard (contract: accounts/dashboard.py)."""

from .careers.dashboard import CAREERS_KPIS
from .internships.dashboard import INTERNSHIP_KPIS

DASHBOARD_KPIS = [*CAREERS_KPIS, *INTERNSHIP_KPIS]
