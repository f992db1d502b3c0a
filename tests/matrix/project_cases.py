"""Enterprise case → order-based project / graduation topic (issue 14 item 4, projects/cases.py),
and the studio / order-class create and edit pages (issue 12, projects/editing.py).
The case is shared with partners by world.users["enterprise"]'s enterprise; the other
enterprise's staff may not publish it. The studio is led by world.users["teacher"]; the
order class is sponsored by world.users["enterprise"]'s enterprise (others do not see it)."""

from __future__ import annotations

from . import Case, World, page


def _case(world: World) -> dict:
    def build():
        from django.core.files.uploadedfile import SimpleUploadedFile

        from teachers.resources.services import resource_review, resource_upload
        from tests.projects import factories as pf
        from tests.teachers.resource_files import pdf_bytes

        pf.enterprise(world.users["enterprise"])
        pf.enterprise(world.users["other_enterprise"])
        case = resource_upload(actor=world.users["enterprise"], upload=SimpleUploadedFile("c.pdf", pdf_bytes()),
                               title="Case", kind="case", visibility="partners")
        return resource_review(actor=world.users["school_admin"], resource=case, approve=True)  # partners' wait

    return {"case_id": world.once("project_case", build).pk}


def _studio(world: World) -> dict:
    def build():
        from projects.editing import studio_create

        return studio_create(actor=world.users["teacher"], code="mx-studio", title="Studio", skill_area="ai")

    return {"studio_id": world.once("edit_studio", build).pk}


def _order_class(world: World) -> dict:
    def build():
        from projects.cohort_services import order_class_create
        from tests.projects import factories as pf
        from tests.radar.builders import make_major

        org, _hr = pf.enterprise(world.users["enterprise"])
        return order_class_create(actor=world.users["enterprise"], enterprise=org, major=make_major(), title="OC",
                                  intake_year=2025, capacity=10, criteria="c")

    return {"order_class_id": world.once("edit_order_class", build).pk}


CASES = [
    Case("projects:studio_create", page("teacher", "school_admin")),
    Case("projects:studio_edit", page("teacher", "school_admin", other_teacher=403), build=_studio),
    Case("projects:order_class_create", page("enterprise", "school_admin")),
    Case("projects:order_class_edit", page("enterprise", "school_admin", other_enterprise=404), build=_order_class,
         note="another enterprise does not see the order class at all"),
    Case("projects:case_to_project", page("enterprise", other_enterprise=403), build=_case),
    Case("projects:case_to_topic", page("teacher", "enterprise", other_enterprise=403), build=_case),
]
