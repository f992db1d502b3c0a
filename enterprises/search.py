"""Filters of the posting list and the candidate search, parsed from query
parameters (pages and API alike). An unknown major or competency is a 400 with the
field named, never an empty result that looks like "no matches"."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.errors import ApplicationError
from students.models import TermTier, Tier
from teachers.models import Competency, Major

from .matching import CandidateFilters
from .models import Posting
from .selectors import PostingFilters


def _bad(field: str, message: str) -> ApplicationError:
    return ApplicationError(_("The submitted data is invalid."), code="invalid", extra={field: [message]})


def _clean(value) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise _bad("q", _("The text contains a NUL character."))
    return value[:100]


def _major(code: str) -> Major | None:
    if not code:
        return None
    major = Major.objects.filter(code=code).first()
    if major is None:
        raise _bad("major", _("Unknown major."))
    return major


def _competency(code: str, major_ids: list[int] | None) -> Competency | None:
    if not code:
        return None
    qs = Competency.objects.filter(code=code)
    if major_ids:
        qs = qs.filter(major_id__in=major_ids)
    competency = qs.order_by("major_id").first()
    if competency is None:
        raise _bad("competency", _("Unknown competency."))
    return competency


def posting_filters_from(params) -> PostingFilters:
    kind = _clean(params.get("kind"))
    if kind and kind not in Posting.Kind.values:
        raise _bad("kind", _("Choose a job or an internship."))
    major = _major(_clean(params.get("major")))
    competency = _competency(_clean(params.get("competency")), [major.pk] if major else None)
    return PostingFilters(kind=kind or None, major_id=major.pk if major else None,
                          competency_id=competency.pk if competency else None,
                          city=_clean(params.get("city")) or None, text=_clean(params.get("q")) or None)


def candidate_filters_from(params, *, posting: Posting) -> CandidateFilters:
    posting_majors = [m.pk for m in posting.majors.all()]
    major = _major(_clean(params.get("major")))
    major_ids = None
    if major is not None:
        # Only the posting's majors are candidates; another major gives nobody.
        major_ids = [major.pk] if major.pk in posting_majors else []
    filters = CandidateFilters(major_ids=major_ids)
    year = _clean(params.get("intake_year"))
    if year:
        if not year.isdigit() or not 2000 <= int(year) <= 2100:
            raise _bad("intake_year", _("Enter a year."))
        filters.intake_year = int(year)
    competency = _competency(_clean(params.get("competency")), posting_majors)
    if competency is not None:
        try:
            minimum = float(_clean(params.get("min_attainment")) or "0")
        except ValueError:
            raise _bad("min_attainment", _("Enter a number between 0 and 1.")) from None
        if not 0 <= minimum <= 1:
            raise _bad("min_attainment", _("Enter a number between 0 and 1."))
        filters.competency_id, filters.min_attainment = competency.pk, minimum
    tier = _clean(params.get("tier"))
    if tier:
        if tier not in Tier.values:
            raise _bad("tier", _("Unknown tier."))
        # The tier of the latest term that has tier snapshots.
        term_id = TermTier.objects.order_by("-term__start_year", "-term__number").values_list("term_id", flat=True).first()
        filters.student_ids = list(TermTier.objects.filter(term_id=term_id, tier=tier)
                                   .values_list("student_id", flat=True)) if term_id else []
    return filters

