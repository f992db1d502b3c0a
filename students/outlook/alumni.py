"""Demo alumni: plausible anonymised graduates for a major, from a latent-ability model
(the outlook's training data until real records are imported)."""

from __future__ import annotations

from platform_site.lazy import lazy_module
from teachers.models import Major

from .models import Alumnus, JobFamily
from .services import competency_codes

np = lazy_module("numpy")

# Which competencies make a graduate suited to which job family (used to generate
# plausible demo outcomes; the model learns the relation from the data).
FAMILY_AFFINITY = {
    "ecommerce": {
        JobFamily.OPERATIONS: {"ec-operation": 1.0, "data-analysis": 0.6},
        JobFamily.MARKETING: {"new-media": 1.0, "marketing": 0.9},
        JobFamily.DESIGN: {"photography": 1.0, "shop-design": 1.0},
        JobFamily.CUSTOMER: {"customer-service": 1.0, "ec-operation": 0.3},
    },
    "bigdata": {
        JobFamily.DATA: {"data-visualisation": 1.0, "ml-ai": 0.8, "data-collection": 0.5},
        JobFamily.ENGINEERING: {"programming": 1.0, "database": 0.8, "platforms": 0.8},
        JobFamily.OPERATIONS: {"project-practice": 1.0, "platforms": 0.4},
    },
}



def alumni_generate(*, major: Major, count: int, seed: int, start_index: int = 0) -> list[Alumnus]:
    """Plausible alumni: a latent ability and a specialisation shape the graduation radar;
    employment depends on ability and rank, the job family on the radar's shape."""
    rng = np.random.default_rng(seed)
    codes = competency_codes(major)
    if not codes:
        return []
    affinity = FAMILY_AFFINITY.get(major.code) or {JobFamily.OPERATIONS: {codes[0]: 1.0}}
    families = list(affinity)
    n, k = count, len(codes)
    ability = rng.normal(0, 1, n)
    specialisation = rng.normal(0, 1, (n, k))
    radar = np.clip(0.62 + 0.10 * ability[:, None] + 0.07 * specialisation + rng.normal(0, 0.04, (n, k)), 0.05, 1.0)
    points = np.maximum(0, 260 + 70 * ability + rng.normal(0, 40, n)).round()
    years = rng.integers(2019, 2025, n)
    percentile = np.zeros(n)
    for year in np.unique(years):
        idx = np.where(years == year)[0]
        order = points[idx].argsort().argsort()
        percentile[idx] = 100.0 * order / max(1, len(idx) - 1)
    mean_radar = radar.mean(axis=1)
    logit = 1.1 + 9.0 * (mean_radar - 0.62) + 1.2 * (percentile - 50) / 50 + rng.normal(0, 0.6, n)
    employed = rng.random(n) < 1 / (1 + np.exp(-logit))
    code_index = {c: i for i, c in enumerate(codes)}
    fit = np.zeros((n, len(families)))
    for j, family in enumerate(families):
        total = sum(w for c, w in affinity[family].items() if c in code_index) or 1.0
        for code, weight in affinity[family].items():
            if code in code_index:
                fit[:, j] += weight / total * radar[:, code_index[code]]
    fit += rng.gumbel(0, 0.06, fit.shape)
    family_pick = fit.argmax(axis=1)
    salary = np.where(ability + rng.normal(0, 0.7, n) > 0.8, "8k+", np.where(ability > -0.5, "5-8k", "3-5k"))
    return [
        Alumnus(code=f"A{major.pk}-{start_index + i:05d}", major=major, graduation_year=int(years[i]),
                attainment={c: round(float(radar[i, j]), 3) for j, c in enumerate(codes)}, points=int(points[i]),
                rank_percentile=round(float(percentile[i]), 1), employed=bool(employed[i]),
                job_family=str(families[family_pick[i]]) if employed[i] else "",
                salary_band=str(salary[i]) if employed[i] else "", is_demo=True)
        for i in range(n)
    ]
