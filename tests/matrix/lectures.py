"""Expert lectures (issue 14 item 7; students/lectures): organised by world.users["industry"];
the student and the other student are of the lecture's major; the student is signed up
for the upcoming lecture and attended nothing yet; the past lecture has started."""

from __future__ import annotations

from . import Case, World, api, page

EVERYONE = ("student", "teacher", "enterprise", "industry", "school_admin")
ORGANISERS = ("industry", "school_admin")


def lectures_world(world: World) -> dict:
    def build():
        import datetime

        from django.utils import timezone

        from students.lectures import services
        from students.lectures.models import Lecture
        from tests.radar.builders import make_class, make_major, make_student

        major = make_major()
        school_class = make_class(major, 2024)
        student = make_student(school_class, user=world.users["student"])
        make_student(school_class, user=world.users["other_student"])

        def schedule(title):
            return services.lecture_schedule(
                actor=world.users["industry"], title=title, abstract="a", speaker="s", room="r", capacity=5,
                starts_at=timezone.now() + datetime.timedelta(days=3), majors=[major])

        upcoming, past = schedule("Upcoming"), schedule("Past")
        services.lecture_signup(actor=world.users["student"], lecture=upcoming)
        services.lecture_signup(actor=world.users["student"], lecture=past)
        Lecture.objects.filter(pk=past.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=2))
        return {"upcoming": upcoming, "past": past, "student": student, "major": major}

    return world.once("lectures", build)


def _with_world(w):
    lectures_world(w)
    return {}


def _upcoming(w):
    return {"lecture_id": lectures_world(w)["upcoming"].pk}


def _past(w):
    return {"lecture_id": lectures_world(w)["past"].pk}


def _attended(w):
    return {"attended": [lectures_world(w)["student"].student_number]}


def _attended_json(w):
    return {"student_numbers": [lectures_world(w)["student"].student_number]}


def _new_lecture(w):
    import datetime

    from django.utils import timezone

    return {"title": "New", "abstract": "a", "speaker": "s", "room": "r", "capacity": 10,
            "starts_at": (timezone.now() + datetime.timedelta(days=5)).isoformat()}


CASES = [
    Case("students:lectures", page(*EVERYONE), build=_with_world),
    Case("students:lecture_create", page(*ORGANISERS)),
    Case("students:lecture_detail", page(*EVERYONE), build=_upcoming),
    Case("students:lecture_edit", page(*ORGANISERS), build=_upcoming),
    Case("students:lecture_signup", page("student", ok=302), method="post", build=_upcoming,
         note="the student is already signed up (idempotent); the other student signs up"),
    Case("students:lecture_cancel", page("student", ok=302, other_student=400), method="post", build=_upcoming,
         note="the other student is not signed up: 400 with the reason"),
    Case("students:lecture_attendance", page(*ORGANISERS, ok=302), method="post", build=_past, data=_attended),
    Case("api:students-lectures", api(*EVERYONE), build=_with_world),
    Case("api:students-lecture-create", api(*ORGANISERS, ok=201), method="post", data=_new_lecture,
         content_type="application/json"),
    Case("api:students-lecture", api(*EVERYONE), build=_upcoming),
    Case("api:students-lecture-signup", api("student"), method="post", build=_upcoming),
    Case("api:students-lecture-cancel", api("student", other_student=400), method="post", build=_upcoming),
    Case("api:students-lecture-attendance", api(*ORGANISERS), method="post", build=_past, data=_attended_json,
         content_type="application/json"),
]
