"""The copied-log detector on constructed pairs, and shared-device check-ins."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from enterprises.internships import integrity
from enterprises.models import CheckIn, IntegrityFlag, WeeklyLog
from tests.radar.builders import make_student

from .builders import LOG_TEXT, OTHER_TEXT, make_placement

PARAPHRASE = (LOG_TEXT.replace("主要负责", "主要承担").replace("周三", "星期三")
              .replace("点击率提升了百分之八", "点击率大约提高了8%").replace("我体会到", "我认识到")
              .replace("还需要加强", "仍需提高").replace("导师讲解了", "导师给我们讲了"))
EN = ("This week I worked in the marketing team, writing product descriptions and reviewing livestream data. "
      "On Monday my mentor explained the monthly sales targets; on Wednesday I optimised twenty product titles "
      "and the click-through rate rose by eight percent. On Friday I helped the host prepare the script.")
EN_EDITED = (EN.replace("This week", "During this week").replace("explained", "walked us through")
             .replace("rose by eight percent", "went up about 8%"))
EN_OTHER = ("At the logistics company I rotated through the warehouse, learning goods receipt, slot management and "
            "stock counting with my supervisor, and attended a forklift safety course on Thursday afternoon.")


@pytest.mark.parametrize("a, b, expected", [
    (LOG_TEXT, LOG_TEXT, "above"),
    (LOG_TEXT, PARAPHRASE, "above"),
    (EN, EN_EDITED, "above"),
    (LOG_TEXT, OTHER_TEXT, "below"),
    (EN, EN_OTHER, "below"),
    (LOG_TEXT, EN, "below"),
])
def test_constructed_pairs_fall_on_the_documented_side_of_the_threshold(a, b, expected):
    sigs = integrity.signatures([a, b])
    estimate = integrity.estimated_similarity(sigs[0], sigs[1])
    exact = integrity.jaccard(a, b)
    if expected == "above":
        assert estimate >= integrity.TEXT_THRESHOLD and exact >= integrity.TEXT_THRESHOLD
        assert integrity.similar_pairs(sigs) == [(0, 1, pytest.approx(estimate))]
    else:
        assert estimate < 0.2 and exact < 0.2
        assert integrity.similar_pairs(sigs) == []


def test_passages_are_the_shared_runs_side_by_side():
    passages = integrity.matching_passages(LOG_TEXT, PARAPHRASE)
    assert passages and all(len(p) == 2 for p in passages)
    assert "周五协助主播准备直播脚本" in passages[0][0] and "周五协助主播准备直播脚本" in passages[0][1]


def test_normalising_ignores_spacing_punctuation_and_case():
    assert integrity.jaccard("Hello, World! 你好，世界。", "hello world 你好 世界") == 1.0
    assert integrity.signatures([""])[0].tolist() == integrity.signatures(["!!"])[0].tolist()


def _log(placement, week, text):
    return WeeklyLog.objects.create(placement=placement, week=week, due_on=placement.week_due(week), text=text,
                                    submitted_at=timezone.now())


@pytest.mark.django_db
def test_scan_flags_peer_copies_on_both_sides_and_self_repeats_once():
    a = make_placement()
    b = make_placement(organization=a.organization, school_class=a.student.school_class, mentor=a.mentor,
                       tutor=a.tutor, student=make_student(a.student.school_class))
    _log(a, 1, LOG_TEXT)
    copied = _log(b, 1, PARAPHRASE)
    _log(a, 2, OTHER_TEXT)
    repeat = _log(a, 3, OTHER_TEXT + "本周继续。")
    result = integrity.integrity_scan()
    assert result["text_flags"] == 3
    peer = IntegrityFlag.objects.filter(kind="peer_text")
    assert peer.count() == 2 and {f.placement_id for f in peer} == {a.pk, b.pk}
    flag = peer.get(log=copied)
    assert flag.score >= integrity.TEXT_THRESHOLD and flag.passages
    own = IntegrityFlag.objects.get(kind="self_text")
    assert own.log == repeat and own.placement == a
    assert WeeklyLog.objects.filter(signature__isnull=True).count() == 0
    assert integrity.integrity_scan()["text_flags"] == 0  # idempotent


@pytest.mark.django_db
def test_checkins_of_two_students_from_one_device_are_flagged():
    a = make_placement()
    b = make_placement()
    c = make_placement()
    now = timezone.now()
    today = timezone.localdate()
    CheckIn.objects.create(placement=a, day=today, at=now, device_hash="d" * 64, ip="10.0.0.1")
    CheckIn.objects.create(placement=b, day=today, at=now + datetime.timedelta(minutes=3), device_hash="d" * 64,
                           ip="10.0.0.9")
    CheckIn.objects.create(placement=c, day=today, at=now + datetime.timedelta(hours=5), device_hash="d" * 64,
                           ip="10.0.0.8")
    assert integrity.checkin_flags_scan() == 2
    assert set(IntegrityFlag.objects.values_list("kind", "placement_id")) == {("device", a.pk), ("device", b.pk)}
    assert integrity.checkin_flags_scan() == 0


@pytest.mark.django_db
def test_one_address_is_flagged_only_across_organisations():
    a = make_placement()
    colleague = make_placement(organization=a.organization, school_class=a.student.school_class, mentor=a.mentor,
                               tutor=a.tutor, student=make_student(a.student.school_class))
    elsewhere = make_placement()
    now, today = timezone.now(), timezone.localdate()
    CheckIn.objects.create(placement=a, day=today, at=now, ip="10.1.1.1")
    CheckIn.objects.create(placement=colleague, day=today, at=now, ip="10.1.1.1")
    assert integrity.checkin_flags_scan() == 0  # interns of one enterprise share its network
    CheckIn.objects.create(placement=elsewhere, day=today, at=now + datetime.timedelta(minutes=2), ip="10.1.1.1")
    assert integrity.checkin_flags_scan() == 4
    assert IntegrityFlag.objects.filter(kind="address", placement=elsewhere).count() == 2
