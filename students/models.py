"""Every model of the students app, gathered for Django and for other apps.

The models live in their feature packages (students/<feature>/models.py); import them
from here (`from students.models import StudentProfile`) or from the feature."""

from .competitions.models import Competition, CompetitionEntry
from .lectures.models import Lecture, LectureSignup
from .outlook.models import Alumnus, JobFamily, OutlookModel
from .points.models import PointBalance, PointEntry, PointRule, PointSource
from .profiles.models import StudentProfile
from .radar.models import CohortAttainmentSum, CompetencyAttainment, PracticeEvidence, StudentRadar, TermAttainment
from .rankings.models import RANKING_SCOPES, RankingEntry, RankingRefresh, TermTier, Tier
from .resume.models import ResumeSection, ResumeSettings, default_public_sections
from .stars.models import StarOfSkill, StarRun

__all__ = [
    "RANKING_SCOPES",
    "Alumnus",
    "CohortAttainmentSum",
    "Competition",
    "CompetitionEntry",
    "CompetencyAttainment",
    "JobFamily",
    "Lecture",
    "LectureSignup",
    "OutlookModel",
    "PointBalance",
    "PointEntry",
    "PointRule",
    "PointSource",
    "PracticeEvidence",
    "RankingEntry",
    "RankingRefresh",
    "ResumeSection",
    "ResumeSettings",
    "StarOfSkill",
    "StarRun",
    "StudentProfile",
    "StudentRadar",
    "TermAttainment",
    "TermTier",
    "Tier",
    "default_public_sections",
]
