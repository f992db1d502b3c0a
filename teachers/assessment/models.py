"""Process-based assessment: an offering's grade components and the students' scores in them.

The final grade (Enrolment.score) of an offering with components is computed from them
(`teachers.assessment.services.final_from_components`), so it keeps driving the radar."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class GradeComponent(models.Model):
    """One part of an offering's assessment (attendance 10, process tasks 30, …); weights sum to 100."""

    offering = models.ForeignKey("teachers.CourseOffering", on_delete=models.CASCADE, related_name="components")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("grade component")
        verbose_name_plural = _("grade components")
        ordering = ["offering", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "code"], name="grade_component_unique_code"),
            models.CheckConstraint(condition=models.Q(weight__gt=0) & models.Q(weight__lte=100),
                                   name="grade_component_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class ComponentScore(models.Model):
    enrolment = models.ForeignKey("teachers.Enrolment", on_delete=models.CASCADE, related_name="component_scores")
    component = models.ForeignKey(GradeComponent, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("component score")
        verbose_name_plural = _("component scores")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "component"], name="component_score_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=0) & models.Q(score__lte=100),
                                   name="component_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.component_id}: {self.score}"
