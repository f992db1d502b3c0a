"""The roster the curriculum (teachers app, below this one) reads through
`teachers.roster`: who is in a class or a cohort, and their student numbers,
answered from the student profiles."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count

from .profiles.models import StudentProfile


class ProfileRoster:
    def user_ids_in_class(self, class_id: int) -> list[int]:
        return list(StudentProfile.objects.filter(school_class_id=class_id).values_list("user_id", flat=True))

    def user_ids_in_cohort(self, major_id: int, intake_year: int) -> list[int]:
        return list(StudentProfile.objects.filter(major_id=major_id, intake_year=intake_year)
                    .values_list("user_id", flat=True))

    def student_numbers(self, user_ids: Iterable[int]) -> dict[int, str]:
        return dict(StudentProfile.objects.filter(user_id__in=list(user_ids))
                    .values_list("user_id", "student_number"))

    def user_ids_for_numbers(self, numbers: Iterable[str]) -> dict[str, int]:
        return dict(StudentProfile.objects.filter(student_number__in=list(numbers))
                    .values_list("student_number", "user_id"))

    def class_sizes(self, class_ids: Iterable[int]) -> dict[int, int]:
        return dict(StudentProfile.objects.filter(school_class_id__in=list(class_ids)).order_by()
                    .values("school_class_id").annotate(n=Count("pk")).values_list("school_class_id", "n"))


ROSTER_PROVIDERS = [ProfileRoster()]
