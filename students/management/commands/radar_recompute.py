"""`manage.py radar_recompute [--major CODE] [--intake-year YEAR]`: recompute stored radars
in one vectorised pass (after bulk data loads, or nightly as a safety net)."""

from django.core.management.base import BaseCommand

from students.models import StudentProfile
from students.radar.services import radar_recompute


class Command(BaseCommand):
    help = "Recompute the stored competency radar of every student (or of one major / intake year)."

    def add_arguments(self, parser):
        parser.add_argument("--major", help="major code")
        parser.add_argument("--intake-year", type=int)

    def handle(self, *args, major=None, intake_year=None, **options):
        ids = None
        if major or intake_year:
            qs = StudentProfile.objects.all()
            if major:
                qs = qs.filter(major__code=major)
            if intake_year:
                qs = qs.filter(intake_year=intake_year)
            ids = list(qs.values_list("pk", flat=True))
        result = radar_recompute(student_ids=ids)
        timings = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in result.timings.items())
        self.stdout.write(f"Recomputed the radar of {result.students} students ({result.rows} rows; {timings}).")
