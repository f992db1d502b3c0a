import pytest

from students.models import Alumnus
from students.outlook import alumni
from students.outlook import selectors as outlook_reads
from students.outlook import services as outlook
from teachers.models import Competency, Major

pytestmark = pytest.mark.django_db

ECOMMERCE = ["ec-operation", "photography", "shop-design", "new-media", "marketing", "data-analysis",
             "customer-service"]
# The margin the model must beat the majority-class baseline by, on held-out alumni.
AUC_MARGIN = 0.15


@pytest.fixture
def major():
    m = Major.objects.create(code="ecommerce", name="电子商务")
    for i, code in enumerate(ECOMMERCE):
        Competency.objects.create(major=m, code=code, name=code, order=i)
    Alumnus.objects.bulk_create(alumni.alumni_generate(major=m, count=2000, seed=11))
    return m


def test_validation_auc_beats_majority_baseline_by_margin(major):
    row = outlook.outlook_train(major=major)
    m = row.metrics
    assert m["auc_employed"] >= m["baseline_auc"] + AUC_MARGIN, m
    assert m["accuracy_employed"] > m["baseline_accuracy"], m
    assert m["brier_employed"] < m["baseline_brier"], m
    assert m["ece_employed"] < 0.1, m  # calibrated: predicted rates match observed ones
    assert all(v > 0.6 for v in m["family_auc"].values()), m["family_auc"]


def test_student_outlook_has_families_similar_alumni_and_improvements(major):
    from students.models import CompetencyAttainment
    from tests.growth import factories as f

    outlook.outlook_train(major=major)
    klass = f.school_class(major_obj=major)
    s = f.student(klass=klass)
    for comp in Competency.objects.filter(major=major):
        CompetencyAttainment.objects.create(student=s, competency=comp, attainment=0.5)
    result = outlook_reads.outlook_for_student(student=s)
    assert 0 <= result.employed <= 1
    assert abs(sum(fam["probability"] for fam in result.families) - result.employed) < 1e-6
    assert len(result.similar) == 5 and all(a["code"].startswith("A") for a in result.similar)
    assert 1 <= len(result.improvements) <= 3
    assert all(d["gain"] > 0 for d in result.improvements)
