"""Dashboard figures on a hand-built set, including zero denominators."""

from __future__ import annotations

import pytest

from accounts.dashboard import Scope, kpi_registry
from enterprises.careers import services
from enterprises.models import Destination, EmployerFeedback, FeedbackRating
from tests.careers.builders import make_class, make_employer, make_graduates, make_major

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    """Class of 2024: major K has two classes (A: 4 graduates, B: 2), major L one graduate
    and no destinations. A: employed (counterpart, 5-8k), further study, entrepreneurship
    (not counterpart, 3-5k), enlisted; B: flexible (counterpart, no band), no record."""
    k = make_major(code="kk", competencies=("x", "y"))
    lm = make_major(code="ll", competencies=("z",))
    a, b = make_class(k, 2021), make_class(k, 2021)
    ga = make_graduates(k, 2021, 4, school_class=a, prefix="A")
    gb = make_graduates(k, 2021, 2, school_class=b, prefix="B")
    make_graduates(lm, 2021, 1, prefix="L")
    round_ = services.survey_round_get_or_create(graduation_year=2024, kind="graduation")
    later = services.survey_round_get_or_create(graduation_year=2024, kind="6m")

    def dest(student, category, counterpart=None, band="", survey_round=round_):
        Destination.objects.create(student=student, survey_round=survey_round, graduation_year=2024, major=k,
                                   school_class=student.school_class, category=category, counterpart=counterpart,
                                   salary_band=band)

    dest(ga[0], "employed", True, "5-8k")
    dest(ga[1], "further_study")
    dest(ga[2], "entrepreneurship", False, "3-5k")
    dest(ga[3], "enlisted")
    dest(gb[0], "flexible", True)
    dest(gb[1], "employed", True, "8k+", survey_round=later)  # a later round: not the reported one
    _hr, org = make_employer()
    f = EmployerFeedback.objects.create(organization=org, student=ga[0], survey_round=round_, kind="graduate",
                                        major=k, year=2024)
    comps = list(k.competencies.order_by("order"))
    FeedbackRating.objects.bulk_create([FeedbackRating(feedback=f, competency=comps[0], rating=5),
                                        FeedbackRating(feedback=f, competency=comps[1], rating=2)])
    return k, a, b


def _figures(code, scope, group_by=None):
    return kpi_registry()[code].figures(scope, group_by)


def test_school_wide_figures(cohort):
    scope = Scope(year=2024)
    assert _figures("graduates", scope)[None].value == 7
    employment = _figures("employment_rate", scope)[None]
    assert (employment.numerator, employment.denominator) == (4, 7)  # employed, study, entrepreneurship, flexible
    counterpart = _figures("counterpart_rate", scope)[None]
    assert (counterpart.numerator, counterpart.denominator) == (2, 3)
    entrepreneurship = _figures("entrepreneurship_rate", scope)[None]
    assert (entrepreneurship.numerator, entrepreneurship.denominator) == (1, 7)
    bands = _figures("salary_bands", scope)[None]
    assert bands.value == 2 and bands.breakdown == {"<3k": 0, "3-5k": 1, "5-8k": 1, "8k+": 0}
    satisfaction = _figures("enterprise_satisfaction", scope)[None]
    assert (satisfaction.value, satisfaction.numerator) == (3.5, 2)


def test_grouped_by_major_and_class(cohort):
    k, a, b = cohort
    by_major = _figures("employment_rate", Scope(year=2024), "major")
    assert (by_major["kk"].numerator, by_major["kk"].denominator) == (4, 6)
    assert by_major["ll"].numerator == 0 and by_major["ll"].value == 0.0
    by_class = _figures("employment_rate", Scope(year=2024, major_code="kk"), "class")
    assert (by_class[a.pk].numerator, by_class[a.pk].denominator) == (3, 4)
    assert (by_class[b.pk].numerator, by_class[b.pk].denominator) == (1, 2)
    assert _figures("enterprise_satisfaction", Scope(year=2024), "major") == {
        "kk": _figures("enterprise_satisfaction", Scope(year=2024))[None]}
    rows = kpi_registry()["employment_rate"].rows(Scope(year=2024, major_code="kk", class_id=b.pk))
    assert [r.value for r in rows] == ["Flexible employment", "–"]


def test_zero_denominators_are_none_not_zero(cohort):
    scope = Scope(year=2030)
    assert _figures("graduates", scope)[None].value == 0
    for code in ("employment_rate", "counterpart_rate", "entrepreneurship_rate"):
        figure = _figures(code, scope)[None]
        assert figure.value is None and figure.denominator == 0, code
    assert _figures("enterprise_satisfaction", scope)[None].value is None
    assert _figures("salary_bands", scope)[None].value == 0
    counterpart = _figures("counterpart_rate", Scope(year=2024, major_code="ll"))[None]
    assert counterpart.value is None
