"""Class challenges: scoring on hand cases, the zip checks, prediction CSV checks, quotas and
the best/last rule with a frozen clock, private ranks hidden until the close, final points."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.urls import reverse

from accounts.errors import ApplicationError
from accounts.models import Role
from deepfake.challenges import services
from deepfake.challenges.scoring import Item, competition_ranks, score_predictions, score_split
from deepfake.models import Challenge, ChallengeItem, Submission

from .challenge_data import as_upload, labelled_zip, make_challenge, png, predictions_csv

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# --- scoring -----------------------------------------------------------------------------------


def test_auc_counts_ties_as_half():
    labels = np.array([0, 0, 1, 1])
    probs = np.array([0.1, 0.5, 0.5, 0.9])
    result = score_split(labels, probs, np.array(["real", "real", "g", "g"]))
    assert result["auc"] == pytest.approx(0.875)  # (1 + 0.5 + 1 + 1) / 4
    assert result["accuracy"] == pytest.approx(0.75)  # 0.5 counts as fake
    assert score_split(labels, np.full(4, 0.5), np.array(["real", "real", "g", "g"]))["auc"] == 0.5


def test_per_generator_auc_and_halves():
    items = [Item("a", 0, "real", True), Item("b", 0, "real", True), Item("c", 1, "sg3", True),
             Item("d", 1, "dc", True), Item("e", 0, "real", False), Item("f", 1, "sg3", False)]
    preds = {"a": 0.2, "b": 0.6, "c": 0.9, "d": 0.4, "e": 0.3, "f": 0.1}
    scores = score_predictions(items, preds)
    # sg3 (0.9) beats both reals; dc (0.4) beats 0.2 only
    assert scores["public"]["per_generator"] == {"dc": 0.5, "sg3": 1.0}
    assert scores["public"]["auc"] == pytest.approx(0.75)
    assert scores["private"]["auc"] == 0.0 and scores["private"]["count"] == 2
    assert competition_ranks([(0.9, 1), (0.9, 1), (0.8, 1)]) == [1, 1, 3]


# --- the teacher's zip -------------------------------------------------------------------------


@pytest.fixture
def teacher_class(make_user, class_of):
    teacher = make_user(Role.TEACHER, username="ch_teacher")
    students = [make_user(Role.STUDENT, username=f"ch_s{i}") for i in range(3)]
    return teacher, class_of(teacher, *students), students


def _zip_of(members: list[tuple[str, bytes]], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("archive, message", [
    (b"not a zip at all", "Not a zip"),
    (_zip_of([("labels.csv", b"file,label\n../evil.png,real\n"), ("../evil.png", png(1))]), "Unsafe path"),
    (_zip_of([("labels.csv", b"file,label\n/abs.png,real\n"), ("/abs.png", png(1))]), "Unsafe path"),
    (_zip_of([("labels.csv", b"file,label\nbomb.png,real\n"), ("bomb.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 30_000_000)]),
     "MB uncompressed"),
    (labelled_zip(extra=[("real/notes.txt", b"hello")]), "not an image"),
    (labelled_zip(extra=[("real/fake.png", b"this is text, not a png")], labels_extra="real/fake.png,real,\n"),
     "not a JPEG"),
    (labelled_zip(drop_label_for="real/r0.png"), "no row in labels.csv"),
    (labelled_zip(labels_extra="real/ghost.png,real,\n"), "not in the zip"),
    (labelled_zip(labels_extra="real/r1.png,real,\n"), "listed twice"),
    (labelled_zip(labels_extra="x.png,maybe,\n"), "is not real/fake"),
    (_zip_of([("a.png", png(1))]), "exactly one labels.csv"),
])
def test_bad_archives_are_refused_and_nothing_is_left(teacher_class, archive, message, settings):
    teacher, school_class, _ = teacher_class
    with pytest.raises(ApplicationError) as exc:
        make_challenge(teacher, school_class, data=archive)
    assert message in str(exc.value.message)
    assert not Challenge.objects.exists()


def test_ratio_bomb_is_refused(teacher_class):
    teacher, school_class, _ = teacher_class
    bomb = _zip_of([("labels.csv", b"file,label\nb.png,real\n"), ("b.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 5_000_000)])
    with pytest.raises(ApplicationError, match="compression ratio"):
        make_challenge(teacher, school_class, data=bomb)


def test_challenge_splits_dev_and_test_with_opaque_ids(teacher_class, tmp_path):
    teacher, school_class, _ = teacher_class
    challenge = make_challenge(teacher, school_class, data=labelled_zip(10, {"sg3": 5, "dc": 5}), dev_fraction=0.2)
    assert challenge.dev_count == 4 and challenge.test_count == 16
    items = list(ChallengeItem.objects.filter(challenge=challenge))
    assert sum(i.is_public for i in items) == 8  # a stratified half
    with zipfile.ZipFile(challenge.test_archive.path) as zf:
        names = zf.namelist()
    assert sorted(n.split(".")[0] for n in names) == sorted(i.item_id for i in items)
    assert not any("real" in n or "fake" in n or "labels" in n for n in names)
    with zipfile.ZipFile(challenge.dev_archive.path) as zf:
        assert "labels.csv" in zf.namelist() and len(zf.namelist()) == 5
    assert challenge.generators == ["dc", "sg3"]


def test_only_teachers_of_the_class_create(make_user, teacher_class):
    _, school_class, _ = teacher_class
    other = make_user(Role.TEACHER, username="ch_other")
    with pytest.raises(ApplicationError):
        make_challenge(other, school_class)


# --- prediction CSVs ---------------------------------------------------------------------------


@pytest.fixture
def challenge(teacher_class):
    teacher, school_class, students = teacher_class
    return make_challenge(teacher, school_class, daily_quota=2, total_quota=3,
                          starts_at=T0 - timedelta(days=1), ends_at=T0 + timedelta(days=5))


def _submit(student, challenge, data: bytes, now):
    return services.submission_create_predictions(actor=student, phase=challenge.phases.get(),
                                                  uploaded_file=as_upload("p.csv", data), now=now)


def test_csv_scored_at_once(challenge, teacher_class):
    student = teacher_class[2][0]
    submission = _submit(student, challenge, predictions_csv(challenge), T0)
    assert submission.status == "scored" and submission.public_auc == 1.0 and submission.private_auc == 1.0
    assert set(submission.scores["public"]["per_generator"]) == {"stylegan3", "dcgan"}


@pytest.mark.parametrize("mutate, message", [
    (lambda lines: lines[:-1], "have no prediction"),
    (lambda lines: [*lines, lines[-1]], "appears twice"),
    (lambda lines: [lines[0], lines[1].rsplit(",", 1)[0] + ",1.5", *lines[2:]], "outside 0..1"),
    (lambda lines: [lines[0], lines[1].rsplit(",", 1)[0] + ",nan", *lines[2:]], "outside 0..1"),
    (lambda lines: [lines[0], lines[1].rsplit(",", 1)[0] + ",abc", *lines[2:]], "not a number"),
    (lambda lines: [*lines, "t99999,0.5"], "not an id"),
    (lambda lines: ["name,value", *lines[1:]], "header"),
])
def test_bad_csv_is_refused_and_nothing_is_stored(challenge, teacher_class, mutate, message):
    lines = predictions_csv(challenge).decode().strip().split("\n")
    with pytest.raises(ApplicationError, match=message):
        _submit(teacher_class[2][0], challenge, ("\n".join(mutate(lines)) + "\n").encode(), T0)
    assert not Submission.objects.exists()


def test_student_outside_the_class_cannot_submit(challenge, make_user):
    outsider = make_user(Role.STUDENT, username="ch_outsider")
    with pytest.raises(ApplicationError):
        _submit(outsider, challenge, predictions_csv(challenge), T0)


# --- quotas, deadline and the best/last rule (frozen clock) ----------------------------------------


def test_daily_and_total_quota_and_deadline(challenge, teacher_class):
    student = teacher_class[2][0]
    csv = predictions_csv(challenge)
    _submit(student, challenge, csv, T0)
    _submit(student, challenge, csv, T0 + timedelta(hours=1))
    with pytest.raises(ApplicationError) as exc:
        _submit(student, challenge, csv, T0 + timedelta(hours=2))
    assert exc.value.code == "quota_daily" and exc.value.status_code == 429
    _submit(student, challenge, csv, T0 + timedelta(days=1))  # a new day
    with pytest.raises(ApplicationError) as exc:
        _submit(student, challenge, csv, T0 + timedelta(days=2))
    assert exc.value.code == "quota_total"
    other = teacher_class[2][1]
    with pytest.raises(ApplicationError) as exc:
        _submit(other, challenge, csv, T0 + timedelta(days=5))
    assert exc.value.code == "phase_closed"
    with pytest.raises(ApplicationError) as exc:
        _submit(other, challenge, csv, T0 - timedelta(days=2))
    assert exc.value.code == "phase_not_open"
    assert Submission.objects.filter(submitted_by=student).count() == 3


def test_a_team_shares_its_quota(challenge, teacher_class):
    a, b, _ = teacher_class[2]
    services.team_join(actor=a, challenge=challenge, name="Owls")
    services.team_join(actor=b, challenge=challenge, name="Owls")
    _submit(a, challenge, predictions_csv(challenge), T0)
    _submit(b, challenge, predictions_csv(challenge), T0)
    with pytest.raises(ApplicationError, match="daily quota"):
        _submit(a, challenge, predictions_csv(challenge), T0)
    from deepfake.challenges.selectors import leaderboard

    board = leaderboard(phase=challenge.phases.get(), private=False)
    assert len(board) == 1 and board[0]["entrant"] == "Owls" and sorted(board[0]["member_ids"]) == sorted([a.pk, b.pk])


@pytest.mark.parametrize("rule, expected_public", [("best", 1.0), ("last", 0.0)])
def test_best_or_last_rule(teacher_class, rule, expected_public):
    from deepfake.challenges.selectors import leaderboard

    teacher, school_class, students = teacher_class
    challenge = make_challenge(teacher, school_class, rule=rule, starts_at=T0 - timedelta(days=1),
                               ends_at=T0 + timedelta(days=5))
    _submit(students[0], challenge, predictions_csv(challenge), T0)
    _submit(students[0], challenge, predictions_csv(challenge, perfect=False), T0 + timedelta(minutes=5))
    board = leaderboard(phase=challenge.phases.get(), private=False)
    assert [r["auc"] for r in board] == [expected_public]
    assert board[0]["submissions"] == 2


def test_private_board_uses_the_submission_chosen_on_the_public_half(challenge, teacher_class):
    from deepfake.challenges.selectors import leaderboard

    s0, s1, _ = teacher_class[2]
    _submit(s0, challenge, predictions_csv(challenge, flip_private=True), T0)  # overfits the public half
    _submit(s1, challenge, predictions_csv(challenge, value=0.5), T0)
    phase = challenge.phases.get()
    public = leaderboard(phase=phase, private=False)
    private = leaderboard(phase=phase, private=True)
    assert [r["member_ids"] for r in public] == [[s0.pk], [s1.pk]]
    assert [r["member_ids"] for r in private] == [[s1.pk], [s0.pk]]


# --- closing: private board revealed, points granted -------------------------------------------


@pytest.mark.django_db
def test_private_hidden_until_close_then_points(client, challenge, teacher_class, django_capture_on_commit_callbacks):
    from students.models import PointEntry

    teacher, _, (s0, s1, s2) = teacher_class
    phase = challenge.phases.get()
    now = T0 + timedelta(days=1)
    _submit(s0, challenge, predictions_csv(challenge), now)
    _submit(s1, challenge, predictions_csv(challenge, value=0.5), now)
    services.submission_create_predictions(actor=teacher, phase=phase, uploaded_file=as_upload(
        "b.csv", predictions_csv(challenge)), baseline=True, now=now)
    # The submissions above used a frozen clock; the views below use the real one, so keep the phase open.
    phase.ends_at = phase.starts_at + timedelta(days=3650)
    phase.save()
    client.force_login(s0)
    api = reverse("api:deepfake-challenge-leaderboard", args=[phase.pk])
    assert client.get(api, {"board": "public"}).status_code == 200
    hidden = client.get(api, {"board": "private"})
    assert hidden.status_code == 403 and hidden.json()["error"]["code"] == "private_hidden"
    page = client.get(reverse("deepfake:challenge_detail", args=[challenge.pk])).content.decode()
    assert 'id="private-hidden"' in page and 'id="private-board"' not in page
    assert services.phase_finalize(phase_id=phase.pk) == 0  # not closed: nothing granted

    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("deepfake:challenge_phase_close", args=[phase.pk]))
    assert response.status_code == 302
    client.force_login(s0)
    rows = client.get(api, {"board": "private"}).json()
    assert [(r["rank"], r["auc"]) for r in rows] == [(1, 1.0), (1, 1.0), (3, 0.5)]  # the baseline ties s0
    page = client.get(reverse("deepfake:challenge_detail", args=[challenge.pk])).content.decode()
    assert 'id="private-board"' in page
    entries = {e.student.user_id: e for e in PointEntry.objects.filter(source="challenge_rank")}
    assert entries[s0.pk].amount == 30 and entries[s1.pk].amount == 20 and s2.pk not in entries
    assert entries[s0.pk].reason_params == {"rank": 1, "challenge": challenge.title}
    # Idempotent: a second finalize grants nothing more.
    assert services.phase_finalize(phase_id=phase.pk) == 0
    assert PointEntry.objects.filter(source="challenge_rank").count() == 2


def test_api_submission_errors_are_4xx(client, challenge, teacher_class):
    phase = challenge.phases.get()
    phase.ends_at = phase.starts_at + timedelta(days=3650)
    phase.save()
    client.force_login(teacher_class[2][0])
    url = reverse("api:deepfake-challenge-submissions", args=[phase.pk])
    bad = client.post(url, {"kind": "predictions", "file": as_upload("p.csv", b"id,probability\nt00001,7\n")})
    assert bad.status_code == 400 and "error" in bad.json()
    ok = client.post(url, {"kind": "predictions", "file": as_upload("p.csv", predictions_csv(challenge))})
    assert ok.status_code == 201 and ok.json()["public_auc"] == 1.0
    listing = client.get(url).json()
    assert listing["count"] == 1


# --- query counts ------------------------------------------------------------------------------


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_and_apis_do_not_grow_with_rows(client, teacher_class):
    teacher, school_class, students = teacher_class
    first = make_challenge(teacher, school_class, starts_at=T0 - timedelta(days=1), ends_at=T0 + timedelta(days=3650))
    phase = first.phases.get()
    _submit(students[0], first, predictions_csv(first), T0)
    services.team_join(actor=students[2], challenge=first, name="Solo")
    _submit(students[2], first, predictions_csv(first), T0)
    _submit(students[1], first, predictions_csv(first), T0)
    client.force_login(students[1])
    urls = [reverse("deepfake:challenge_list"), reverse("api:deepfake-challenges"),
            reverse("deepfake:challenge_detail", args=[first.pk]),
            reverse("api:deepfake-challenge-leaderboard", args=[phase.pk]),
            reverse("api:deepfake-challenge-submissions", args=[phase.pk])]
    before = [_queries(client, u) for u in urls]
    make_challenge(teacher, school_class, title="Second")
    _submit(students[1], first, predictions_csv(first, value=0.3), T0)
    _submit(students[0], first, predictions_csv(first, value=0.3), T0)
    services.team_join(actor=teacher_class[2][0], challenge=make_challenge(teacher, school_class, title="Third"),
                       name="Other")
    assert [_queries(client, u) for u in urls] == before


def test_both_halves_hold_every_generator_whatever_the_salt(teacher_class):
    """The public half is stratified by label and generator: per-generator AUC exists on
    both leaderboards for every challenge (the salt is random, so try several)."""
    teacher, school_class, _ = teacher_class
    for n in range(6):
        challenge = make_challenge(teacher, school_class, title=f"Halves {n}")
        for public in (True, False):
            items = challenge.items.filter(is_public=public)
            assert set(items.filter(label=1).values_list("generator", flat=True)) == {"stylegan3", "dcgan"}
            assert items.filter(label=0).exists()
