"""The project's URLs plus /bench/plain/: the ranking template rendered from a fixed
context of 50 rows (no ranking query) — the floor for the ranking page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from platform_site.urls import urlpatterns as project_urlpatterns
from students.rankings.selectors import SCOPE_LABELS, SCOPES, OwnPosition, RankingGroup, RankingPage


@login_required
def plain(request):
    entries = [{"student_id": i, "rank": i, "student_number": f"2024{i:06d}", "name": f"学生{i}", "value": 500 - i,
                "percentile": round(100 - i / 10, 1)} for i in range(1, 51)]
    ctx = {"scope": "school", "scopes": [(s, SCOPE_LABELS[s]) for s in SCOPES], "error": None,
           "params": {"major": "", "cohort": "", "class": "", "competency": ""},
           "group": RankingGroup("school", None, "Whole school"),
           "page": RankingPage(entries=entries, count=100000, page=1, page_size=50),
           "query": "scope=school", "own": OwnPosition(rank=7, value=480, percentile=99.9, population=100000),
           "own_student_id": 7}
    return render(request, "students/rankings.html", ctx)


urlpatterns = [*project_urlpatterns, path("bench/plain/", plain, name="bench-plain")]
