"""Curriculum, gradebooks and radar (issue 3). Owner = world.users["student"] for a
student's radar, world.users["teacher"] for the offering and the class."""

from tests.radar.builders import radar_world

from . import Case, api, page, unseen


def _student(world):
    return {"student_number": radar_world(world)["student"].student_number}


def _chart(kind):
    return lambda world: {**_student(world), "kind": kind}


def _image(kind, fmt):
    return lambda world: {**_student(world), "kind": kind, "fmt": fmt}


def _offering(world):
    return {"offering_id": radar_world(world)["offering"].pk}


def _class(world):
    return {"class_id": radar_world(world)["class"].pk}


# Students see only their own radar; teachers the students of classes they teach or head;
# school administrators everyone; enterprises and industry masters no one (403, by role).
# Not theirs: 404, as for a student or class that does not exist (no existence oracle).
OWN_RADAR = dict(student=200, other_student=404, teacher=200, other_teacher=404, school_admin=200)
OWN_IMAGE = dict(student=(200, 202), other_student=404, teacher=(200, 202), other_teacher=404, school_admin=(200, 202))

CASES = [
    Case("students:my_competences", page("student"), build=lambda w: (radar_world(w), {})[1]),
    Case("students:student_competences", page("student", "teacher", "school_admin", **OWN_RADAR), build=_student),
    Case("students:competences_chart", page("student", "teacher", "school_admin", **OWN_RADAR), build=_chart("radar")),
    Case("students:competences_chart_image", page("student", "teacher", "school_admin", **OWN_IMAGE),
         build=_image("radar", "png")),
    Case("students:class_list", page("teacher", "school_admin")),
    Case("students:class_competences", page("teacher", "school_admin", other_teacher=404), build=_class),
    Case("students:class_chart", page("teacher", "school_admin", other_teacher=404), build=_class),
    Case("students:class_chart_image", page("teacher", "school_admin", ok=(200, 202), other_teacher=404),
         build=lambda w: {**_class(w), "fmt": "svg"}),
    Case("api:students-radar", api("student", "teacher", "school_admin", **OWN_RADAR), build=_student),
    Case("api:students-radar-image", api("student", "teacher", "school_admin", **OWN_IMAGE),
         build=_image("growth", "svg")),
    Case("api:classes-radar", api("teacher", "school_admin", other_teacher=404), build=_class),
    Case("teachers:gradebook", page("teacher", "school_admin", **unseen("other_teacher")), build=_offering),
    Case("teachers:gradebook_import", page("teacher", "school_admin", ok=400, **unseen("other_teacher")), method="post",
         build=_offering, note="no file: 400 with a message"),
    Case("teachers:gradebook_export", page("teacher", "school_admin", **unseen("other_teacher")),
         build=lambda w: {**_offering(w), "fmt": "xlsx"}),
]
