"""Figures the enterprises app contributes to the school dashboard (accounts/dashboard.py)."""

from .internships.dashboard import INTERNSHIP_KPIS

DASHBOARD_KPIS = [*INTERNSHIP_KPIS]
