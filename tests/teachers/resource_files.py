"""Test uploads: the sample files the demo uses too."""

from teachers.resources.samples import docx_bytes, mp4_bytes, pdf_bytes, png_bytes, zip_bytes  # noqa: F401
