"""Expert lectures by industry masters (issue 14 item 7; the code lives in students/lectures
because attendance gives points): scheduling, sign-up with capacity and a waitlist that a
cancellation promotes, attendance by the organiser (checkboxes or CSV), points, pages,
API, home panels, and sign-up races decided in the database."""

import datetime
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Notification, Role
from students.lectures import services
from students.lectures.models import Lecture, LectureSignup
from students.models import PointBalance, PointEntry, PointSource
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_student

S = LectureSignup.Status


def _world(n_students=6):
    master = UserFactory(role=Role.INDUSTRY, username=f"lec_master_{Lecture.objects.count()}")
    major, other_major = make_major(), make_major()
    school_class = make_class(major, 2024)
    students = [make_student(school_class) for _ in range(n_students)]
    outsider = make_student(make_class(other_major, 2024))
    return {"master": master, "major": major, "students": students, "outsider": outsider}


def _lecture(w, *, capacity=3, days=3, majors=None):
    return services.lecture_schedule(
        actor=w["master"], title="Live commerce in practice", abstract="Real cases", speaker="Wang",
        starts_at=timezone.now() + datetime.timedelta(days=days), room="Hall A", capacity=capacity,
        majors=[w["major"]] if majors is None else majors)


def _start(lecture, hours_ago=1):
    Lecture.objects.filter(pk=lecture.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=hours_ago))
    lecture.refresh_from_db()


@pytest.mark.django_db
def test_schedule_who_and_what():
    w = _world(0)
    teacher = UserFactory(role=Role.TEACHER)
    with pytest.raises(NotPermitted):
        services.lecture_schedule(actor=teacher, title="t", abstract="a", speaker="s", room="r", capacity=3,
                                  starts_at=timezone.now() + datetime.timedelta(days=1))
    for bad in ({"capacity": 0}, {"capacity": -2}, {"title": " "}, {"days": -1}):
        with pytest.raises(ApplicationError):
            _lecture(w, **{"capacity": 3, **bad}) if "title" not in bad else services.lecture_schedule(
                actor=w["master"], title=" ", abstract="a", speaker="s", room="r", capacity=3,
                starts_at=timezone.now() + datetime.timedelta(days=1))
    assert not Lecture.objects.exists()
    admin = UserFactory(role=Role.SCHOOL_ADMIN)
    lecture = services.lecture_schedule(actor=admin, title="t", abstract="a", speaker="s", room="r", capacity=3,
                                        starts_at=timezone.now() + datetime.timedelta(days=1))
    assert lecture.organiser == admin


@pytest.mark.django_db
def test_capacity_waitlist_and_promotion_on_cancel():
    w = _world(5)
    a, b, c, d, e = w["students"]
    lecture = _lecture(w, capacity=2)
    statuses = [services.lecture_signup(actor=s.user, lecture=lecture).status for s in (a, b, c, d)]
    assert statuses == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    assert services.lecture_signup(actor=a.user, lecture=lecture).status == S.CONFIRMED  # idempotent
    with pytest.raises(ApplicationError) as exc:
        services.lecture_signup(actor=w["outsider"].user, lecture=lecture)
    assert exc.value.code == "other_major"
    # a confirmed student cancels: the first on the waitlist (c) is promoted and told
    services.lecture_cancel(actor=a.user, lecture=lecture)
    status = dict(LectureSignup.objects.filter(lecture=lecture).values_list("student_id", "status"))
    assert status == {a.pk: S.CANCELLED, b.pk: S.CONFIRMED, c.pk: S.CONFIRMED, d.pk: S.WAITLISTED}
    assert Notification.objects.filter(recipient=c.user, title__startswith="A seat opened").count() == 1
    # a waitlisted student cancels: nobody is promoted
    services.lecture_cancel(actor=d.user, lecture=lecture)
    assert LectureSignup.objects.filter(lecture=lecture, status=S.CONFIRMED).count() == 2
    with pytest.raises(ApplicationError):
        services.lecture_cancel(actor=d.user, lecture=lecture)  # not signed up any more
    # signing up again goes to the end of the line
    assert services.lecture_signup(actor=e.user, lecture=lecture).status == S.WAITLISTED
    assert services.lecture_signup(actor=a.user, lecture=lecture).status == S.WAITLISTED
    services.lecture_cancel(actor=b.user, lecture=lecture)
    assert LectureSignup.objects.get(lecture=lecture, student=e).status == S.CONFIRMED
    assert LectureSignup.objects.get(lecture=lecture, student=a).status == S.WAITLISTED
    # a larger capacity promotes; a smaller one than the confirmed is refused
    services.lecture_update(actor=w["master"], lecture=lecture, capacity=3)
    assert LectureSignup.objects.get(lecture=lecture, student=a).status == S.CONFIRMED
    with pytest.raises(ApplicationError) as exc:
        services.lecture_update(actor=w["master"], lecture=lecture, capacity=1)
    assert exc.value.code == "capacity_below_confirmed"
    # after the start: no sign-up, no cancellation
    _start(lecture)
    with pytest.raises(ApplicationError):
        services.lecture_signup(actor=d.user, lecture=lecture)
    with pytest.raises(ApplicationError):
        services.lecture_cancel(actor=c.user, lecture=lecture)


@pytest.mark.django_db
def test_attendance_gives_points_once_and_corrections_reverse():
    w = _world(4)
    a, b, c, d = w["students"]
    lecture = _lecture(w, capacity=3)
    for s in (a, b, c, d):
        services.lecture_signup(actor=s.user, lecture=lecture)
    with pytest.raises(ApplicationError):  # not before the start
        services.attendance_save(actor=w["master"], lecture=lecture, student_numbers=[a.student_number])
    _start(lecture)
    other_master = UserFactory(role=Role.INDUSTRY)
    with pytest.raises(NotPermitted):
        services.attendance_save(actor=other_master, lecture=lecture, student_numbers=[a.student_number])
    with pytest.raises(ApplicationError) as exc:  # someone not signed up: nothing is written
        services.attendance_save(actor=w["master"], lecture=lecture,
                                 student_numbers=[a.student_number, w["outsider"].student_number])
    assert exc.value.code == "not_signed_up"
    assert not LectureSignup.objects.filter(attended=True).exists() and not PointEntry.objects.exists()
    # a waitlisted student who came counts too
    result = services.attendance_save(actor=w["master"], lecture=lecture,
                                      student_numbers=[a.student_number, b.student_number, d.student_number])
    assert result == {"attended": 3, "added": 3, "removed": 0, "points": 3}
    entry = PointEntry.objects.get(student=a)
    assert entry.source == PointSource.LECTURE_ATTENDANCE and entry.amount == 3
    assert entry.reason_params == {"lecture": "Live commerce in practice"}
    services.attendance_save(actor=w["master"], lecture=lecture,  # saved again: no second grant
                             student_numbers=[a.student_number, b.student_number, d.student_number])
    assert PointEntry.objects.filter(student=a).count() == 1
    # b did not come after all: the grant is reversed; marked again later: granted again
    services.attendance_save(actor=w["master"], lecture=lecture, student_numbers=[a.student_number, d.student_number])
    assert PointBalance.objects.get(student=b).total == 0
    services.attendance_save(actor=w["master"], lecture=lecture,
                             student_numbers=[a.student_number, b.student_number, d.student_number])
    assert PointBalance.objects.get(student=b).total == 3 and PointEntry.objects.filter(student=b).count() == 3
    assert PointBalance.objects.get(student=a).total == 3
    assert not PointEntry.objects.filter(student=c).exists()


@pytest.mark.django_db
def test_csv_parsing():
    assert services.student_numbers_from_csv(b"student_number,name\nS1,A\nS2,B\n") == ["S1", "S2"]
    assert services.student_numbers_from_csv("\ufeffS1\nS2\n\n".encode()) == ["S1", "S2"]
    for bad in (b"", b"S1\x00", "S1".encode("utf-16")):
        with pytest.raises(ApplicationError):
            services.student_numbers_from_csv(bad)


def _at_once(calls) -> list[BaseException]:
    """Run (service, student) calls in threads, each with its own connection and
    transaction, released together by a barrier; the errors they raised."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(service, student):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            service(actor=student.user, lecture=Lecture.objects.get(title="Live commerce in practice"))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_signups_never_exceed_capacity():
    """Eight students in eight connections sign up at once for three seats: exactly three
    are confirmed and five waitlisted (the lecture row is locked per sign-up)."""
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is tested on PostgreSQL")
    w = _world(8)
    lecture = _lecture(w, capacity=3)
    assert not _at_once([(services.lecture_signup, s) for s in w["students"]])
    assert LectureSignup.objects.filter(lecture=lecture, status=S.CONFIRMED).count() == 3
    assert LectureSignup.objects.filter(lecture=lecture, status=S.WAITLISTED).count() == 5

    # the three confirmed cancel while two more sign up, all at once: the first three on the
    # waitlist are promoted, the newcomers wait
    confirmed = [s.student for s in LectureSignup.objects.filter(lecture=lecture, status=S.CONFIRMED)
                 .select_related("student__user")]
    first_waiting = [s.student_id for s in LectureSignup.objects.filter(lecture=lecture, status=S.WAITLISTED)
                     .order_by("signed_up_at", "id")[:3]]
    newcomers = [make_student(w["students"][0].school_class) for _ in range(2)]
    assert not _at_once([(services.lecture_cancel, s) for s in confirmed]
                        + [(services.lecture_signup, s) for s in newcomers])
    now_confirmed = set(LectureSignup.objects.filter(lecture=lecture, status=S.CONFIRMED)
                        .values_list("student_id", flat=True))
    # each cancellation promotes the head of a non-empty waitlist in its own transaction,
    # so no newcomer ever finds a free seat
    assert now_confirmed == set(first_waiting)


@pytest.mark.django_db
def test_pages_sign_up_cancel_and_attendance(client):
    w = _world(3)
    a, b, c = w["students"]
    lecture = _lecture(w, capacity=1)
    client.force_login(a.user)
    listing = client.get(reverse("students:lectures"))
    assert listing.status_code == 200 and b"Live commerce in practice" in listing.content
    assert client.post(reverse("students:lecture_signup", args=[lecture.pk])).status_code == 302
    page = client.get(reverse("students:lecture_detail", args=[lecture.pk]))
    assert b'id="signup-status"' in page.content and b"cancel-signup" in page.content
    client.force_login(b.user)
    client.post(reverse("students:lecture_signup", args=[lecture.pk]))
    assert LectureSignup.objects.get(student=b).status == S.WAITLISTED
    client.force_login(w["outsider"].user)  # not their major: not shown, and 404 on the page
    assert b"Live commerce" not in client.get(reverse("students:lectures")).content
    assert client.get(reverse("students:lecture_detail", args=[lecture.pk])).status_code == 404
    client.force_login(a.user)
    assert client.post(reverse("students:lecture_cancel", args=[lecture.pk])).status_code == 302
    assert LectureSignup.objects.get(student=b).status == S.CONFIRMED
    client.force_login(c.user)
    client.post(reverse("students:lecture_signup", args=[lecture.pk]))
    # the organiser: roster on the page, attendance before the start refused with the reason
    client.force_login(w["master"])
    page = client.get(reverse("students:lecture_detail", args=[lecture.pk]))
    assert b'id="roster"' in page.content and b.student_number.encode() in page.content
    url = reverse("students:lecture_attendance", args=[lecture.pk])
    assert client.post(url, {"attended": [b.student_number]}).status_code == 400
    _start(lecture)
    assert client.post(url, {"attended": [b.student_number]}).status_code == 302
    assert list(LectureSignup.objects.filter(attended=True).values_list("student_id", flat=True)) == [b.pk]
    csv_file = SimpleUploadedFile("att.csv", f"student_number\n{b.student_number}\n{c.student_number}\n".encode())
    assert client.post(url, {"csv": csv_file}).status_code == 302
    assert set(LectureSignup.objects.filter(attended=True).values_list("student_id", flat=True)) == {b.pk, c.pk}
    bad = SimpleUploadedFile("att.csv", b"NOPE-1\n")
    response = client.post(url, {"csv": bad})
    assert response.status_code == 400 and b"NOPE-1" in response.content
    assert PointBalance.objects.get(student=c).total == 3
    # another industry master may read but not take attendance
    client.force_login(UserFactory(role=Role.INDUSTRY))
    assert client.get(url).status_code == 403
    assert client.get(reverse("students:lecture_edit", args=[lecture.pk])).status_code == 403


@pytest.mark.django_db
def test_api(client):
    w = _world(2)
    a, b = w["students"]
    client.force_login(w["master"])
    created = client.post(reverse("api:students-lecture-create"), {
        "title": "API lecture", "abstract": "x", "speaker": "Li", "room": "B1", "capacity": 1,
        "starts_at": (timezone.now() + datetime.timedelta(days=2)).isoformat(), "majors": [w["major"].code]},
        content_type="application/json")
    assert created.status_code == 201, created.content
    lecture_id = created.json()["id"]
    assert client.post(reverse("api:students-lecture-create"), {
        "title": "Bad", "abstract": "x", "speaker": "Li", "room": "B1", "capacity": 0,
        "starts_at": timezone.now().isoformat()}, content_type="application/json").status_code == 400
    client.force_login(a.user)
    assert client.post(reverse("api:students-lecture-signup", args=[lecture_id])).json()["status"] == "confirmed"
    client.force_login(b.user)
    assert client.post(reverse("api:students-lecture-signup", args=[lecture_id])).json()["status"] == "waitlisted"
    detail = client.get(reverse("api:students-lecture", args=[lecture_id])).json()
    assert detail["my_signup"] == "waitlisted" and detail["waitlist_position"] == 1 and detail["roster"] is None
    listing = client.get(reverse("api:students-lectures")).json()
    assert listing["count"] == 1 and listing["results"][0]["confirmed"] == 1
    client.force_login(w["master"])
    assert len(client.get(reverse("api:students-lecture", args=[lecture_id])).json()["roster"]) == 2
    url = reverse("api:students-lecture-attendance", args=[lecture_id])
    assert client.post(url, {"student_numbers": [a.student_number]}, content_type="application/json").status_code == 400
    _start(Lecture.objects.get(pk=lecture_id))
    ok = client.post(url, {"student_numbers": [a.student_number]}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["added"] == 1
    client.force_login(b.user)
    assert client.post(url, {"student_numbers": []}, content_type="application/json").status_code == 403


@pytest.mark.django_db
def test_home_panels_and_list_queries(client):
    w = _world(2)
    lecture = _lecture(w)
    teacher = UserFactory(role=Role.TEACHER)
    for user, url in ((w["students"][0].user, "students:home"), (teacher, "teachers:home"),
                      (w["master"], "evaluations:home")):
        client.force_login(user)
        response = client.get(reverse(url))
        assert response.status_code == 200 and b'id="dashboard-lectures"' in response.content, url
        assert lecture.title.encode() in response.content
    client.force_login(w["students"][0].user)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("students:lectures"))
    for i in range(5):
        extra = _lecture(w, days=4 + i)
        services.lecture_signup(actor=w["students"][1].user, lecture=extra)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("students:lectures")).content.count(b"list-group-item-action") == 6
    assert len(many) == len(few)
