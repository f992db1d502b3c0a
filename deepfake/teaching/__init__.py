"""Teaching materials and lab reports (issue 16, item 6): experiment guides as pages, attached
by a teacher to a course offering of a class, and PDF lab reports graded into a grade component
of that offering's gradebook (through teachers.assessment.services)."""
