"""School dashboards, targets, equipment and bookings, services, moderation, audit log (issue 15).

The world: a room, a class headed by the matrix teacher, and a booking of it by the teacher.
The other teacher heads no class (their booking attempt is 403; the teacher's booking is 404 to them).
A teacher asking for school-wide figures gets 403 (admin_portal/permissions.py)."""

from __future__ import annotations

import datetime

from . import Case, api, page


def _room_and_class(world):
    def build():
        from admin_portal.models import Booking, Room
        from tests.growth import factories as growth

        room = Room.objects.create(code="mx-room", name="实训室")
        klass = growth.school_class(code="MX-DB-1", year=2024, head_teacher=world.users["teacher"])
        start = datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC)
        booking = Booking.objects.create(room=room, booked_by=world.users["teacher"], school_class=klass,
                                         starts_at=start, ends_at=start + datetime.timedelta(hours=2), minutes=120)
        return {"room": room, "class": klass, "booking": booking}

    return world.once("dashboards", build)


def _booking_data(world):
    objs = _room_and_class(world)
    return {"room": objs["room"].pk, "school_class": objs["class"].pk, "starts_at": "2026-03-09T08:00",
            "ends_at": "2026-03-09T10:00", "purpose": "matrix"}


def _booking(world):
    return {"pk": _room_and_class(world)["booking"].pk}


CASES = [
    Case("admin_portal:school_dashboard", page("school_admin"), data={"year": 2026},
         note="a teacher asking for school-wide figures: 403"),
    Case("admin_portal:kpi_detail", page("school_admin"), build=lambda w: {"code": "students"}),
    Case("admin_portal:export", page("school_admin"), build=lambda w: {"table": "kpis"}),
    Case("admin_portal:report_pdf", page("school_admin"), data={"year": 2026}),
    Case("admin_portal:targets", page("school_admin")),
    Case("admin_portal:targets", page("school_admin", ok=302), method="post",
         data={"year": 2026, "code": "enterprises_served", "value": "12", "unit": "count"}),
    Case("admin_portal:equipment", page("school_admin", "teacher")),
    Case("admin_portal:equipment", page("school_admin", "teacher", ok=302, other_teacher=403), method="post",
         data=_booking_data, note="the other teacher may not book for a class they do not teach"),
    Case("admin_portal:booking_cancel", page("school_admin", "teacher", ok=302, other_teacher=404), method="post",
         build=_booking),
    Case("admin_portal:services", page("school_admin")),
    Case("admin_portal:services", page("school_admin", ok=400), method="post", data={"kind": "nope"}),
    Case("admin_portal:moderation", page("school_admin")),
    Case("admin_portal:moderation", page("school_admin", ok=400), method="post", data={"kind": "posting"}),
    Case("admin_portal:audit_log", page("school_admin")),
    Case("api:dashboard_kpis", api("school_admin"), data={"year": 2026}),
    Case("api:dashboard_targets", api("school_admin"), data={"year": 2026}),
]
