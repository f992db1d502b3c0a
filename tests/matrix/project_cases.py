"""Enterprise case → order-based project / graduation topic (issue 14 item 4, projects/cases.py).
The case is shared with partners by world.users["enterprise"]'s enterprise; the other
enterprise's staff may not publish it."""

from __future__ import annotations

from . import Case, World, page


def _case(world: World) -> dict:
    def build():
        from django.core.files.uploadedfile import SimpleUploadedFile

        from teachers.resources.services import resource_upload
        from tests.projects import factories as pf
        from tests.teachers.resource_files import pdf_bytes

        pf.enterprise(world.users["enterprise"])
        pf.enterprise(world.users["other_enterprise"])
        return resource_upload(actor=world.users["enterprise"], upload=SimpleUploadedFile("c.pdf", pdf_bytes()),
                               title="Case", kind="case", visibility="partners")

    return {"case_id": world.once("project_case", build).pk}


CASES = [
    Case("projects:case_to_project", page("enterprise", other_enterprise=403), build=_case),
    Case("projects:case_to_topic", page("teacher", "enterprise", other_enterprise=403), build=_case),
]
