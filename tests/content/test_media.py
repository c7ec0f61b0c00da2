"""The media store against a real MongoDB wire-protocol server (SecantusDB), with real files:
images made by Pillow, a PDF, office documents built as their real containers, and the kinds of
file an attacker renames to slip through."""
import io
import json
import struct
import zipfile
from uuid import uuid4

import pytest
from PIL import Image

from services.common.errors import InvalidInput, NotFound
from services.content.database import ContentDatabase
from services.content.media import renditions
from services.content.media.store import MediaStore

UNIT = "phu-mau"
EDITOR = "bien-tap-vien"
GPS_IFD = 0x8825
ORIENTATION = 0x0112
ROTATE_90_CLOCKWISE = 6

MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
               b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
               b"trailer << /Root 1 0 R >>\n%%EOF\n")


# Files to upload


def image_bytes(width: int, height: int, fmt: str = "PNG", mode: str = "RGB", colour="white", **save_options) -> bytes:
    image = Image.new(mode, (width, height), colour)
    output = io.BytesIO()
    image.save(output, fmt, **save_options)
    return output.getvalue()


def photo_with_gps_sideways(width: int = 2000, height: int = 1000) -> bytes:
    """A JPEG stored sideways, as phones do: red left half, blue right half, EXIF orientation 6
    (turn clockwise to view), a GPS position, and an XMP packet."""
    image = Image.new("RGB", (width, height), "blue")
    image.paste("red", (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATE_90_CLOCKWISE
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (16.0, 27.0, 50.0), 3: "E", 4: (107.0, 35.0, 0.0)})
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif, xmp=b"<x:xmpmeta><exif:GPSLatitude>16,27N</exif:GPSLatitude></x:xmpmeta>")
    return output.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return output.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
DOCX_ENTRIES = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
    "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Thong bao</w:t></w:r></w:p>'
                         b'</w:body></w:document>',
}
XLSX_ENTRIES = {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>'}


def odf_entries(mimetype: str) -> dict[str, bytes]:
    return {"mimetype": mimetype.encode(), "content.xml": b'<?xml version="1.0"?><office:document-content/>',
            "META-INF/manifest.xml": b'<?xml version="1.0"?><manifest:manifest/>'}


def compound_file(*entries: tuple[str, int]) -> bytes:
    """A minimal OLE2 compound file ([MS-CFB] version 3) holding the named streams (type 2)
    and storages (type 1), as Word and Excel 97-2003 files are. Each stream gets 4096 bytes,
    the mini-stream cutoff, so all data lives in ordinary sectors and no mini FAT is needed."""
    sector, end_of_chain, fat_sector, free, no_stream = 512, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF
    stream_sectors = 4096 // sector
    data_start = 2  # sector 0 holds the FAT, sector 1 the directory
    fat, directory, data = [fat_sector, end_of_chain], [], b""
    next_sector = data_start

    def entry(name, kind, child=no_stream, right=no_stream, start=0, size=0):
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, no_stream, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    for index, (name, kind) in enumerate(entries, start=1):
        right = index + 1 if index < len(entries) else no_stream
        if kind == 2:
            fat += list(range(next_sector + 1, next_sector + stream_sectors)) + [end_of_chain]
            directory.append(entry(name, kind, right=right, start=next_sector, size=4096))
            data += bytes(range(256)) * 16
            next_sector += stream_sectors
        else:
            directory.append(entry(name, kind, right=right))
    directory.insert(0, entry("Root Entry", 5, child=1, start=end_of_chain))
    assert len(directory) <= 4, "one directory sector holds four entries"
    directory += [b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, no_stream, no_stream, no_stream) + b"\0" * 52] * (
        4 - len(directory))
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
              + struct.pack("<109I", 0, *[free] * 108))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(sector, b"\xff")
    return header + fat_bytes + b"".join(directory) + data


# Fixtures and helpers


@pytest.fixture
def database(mongo_client):
    return mongo_client[f"media_{uuid4().hex[:8]}"]


@pytest.fixture
def store(database):
    media = MediaStore(ContentDatabase(database))
    media.ensure_indexes()
    return media


def stored_file_counts(database) -> tuple[int, int, int]:
    return (database["media.files"].count_documents({}), database["media.chunks"].count_documents({}),
            database["media"].count_documents({}))


def upload(store, filename, data, **options):
    return store.upload(UNIT, filename, data, options.pop("declared_type", None), EDITOR, **options)


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# Images


def test_a_large_image_gets_three_renditions_of_the_right_widths(store):
    media = upload(store, "hoi-nghi.png", image_bytes(2000, 1000), alt="Hội nghị tỉnh", caption="Ảnh: Sở TT&TT")

    assert media["kind"] == "image" and media["content_type"] == "image/png"
    assert (media["width"], media["height"]) == (2000, 1000)
    assert (media["alt"], media["caption"], media["uploaded_by"]) == ("Hội nghị tỉnh", "Ảnh: Sở TT&TT", EDITOR)
    assert {key: (r["width"], r["height"], r["content_type"]) for key, r in media["renditions"].items()} == {
        "320": (320, 160, "image/webp"), "640": (640, 320, "image/webp"), "1280": (1280, 640, "image/webp")}
    assert json.loads(json.dumps(media)) == media


def test_a_small_image_is_never_scaled_up(store):
    media = upload(store, "logo.png", image_bytes(200, 100))
    assert (media["width"], media["height"], media["renditions"]) == (200, 100, {})


def test_renditions_stop_at_the_original_width(store):
    media = upload(store, "anh.png", image_bytes(640, 480))
    assert {key: r["width"] for key, r in media["renditions"].items()} == {"320": 320, "640": 640}


def test_a_photo_is_turned_upright_and_loses_its_exif_and_gps(store):
    original = photo_with_gps_sideways()
    assert opened(original).getexif().get_ifd(GPS_IFD), "the test photo carries a GPS position"

    media = upload(store, "hien-truong.jpg", original)

    # Stored 2000x1000 sideways; upright it is 1000 wide, so no 1280 rendition.
    assert (media["width"], media["height"]) == (1000, 2000)
    assert sorted(media["renditions"], key=int) == ["320", "640"]
    for key, described in media["renditions"].items():
        served, data = store.open(media["id"], key)
        image = opened(data)
        assert image.format == "WEBP" and image.size == (described["width"], described["height"])
        assert served["content_type"] == "image/webp" and served["size"] == len(data) == described["size"]
        assert served["filename"] == f"hien-truong-{key}.webp" and served["rendition"] == key
        assert len(image.getexif()) == 0 and "exif" not in image.info and "xmp" not in image.info
        assert b"Exif" not in data and b"GPS" not in data
        # The red half was on the left when stored sideways; upright, it is on top.
        top, bottom = image.getpixel((image.width // 2, 5)), image.getpixel((image.width // 2, image.height - 5))
        assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]


def test_transparency_survives_into_renditions(store):
    media = upload(store, "con-dau.png", image_bytes(800, 400, mode="RGBA", colour=(0, 128, 255, 100)))
    _, data = store.open(media["id"], "320")
    rendition = opened(data)
    assert rendition.mode == "RGBA" and rendition.getpixel((5, 5))[3] == 100


def test_sixteen_bit_greyscale_keeps_its_tone(store):
    media = upload(store, "ban-do.png", image_bytes(800, 400, mode="I;16", colour=30000))
    _, data = store.open(media["id"], "320")
    # 30000 of 65535 is 117 of 255; lossy WebP may land a step off.
    assert all(abs(channel - 117) <= 3 for channel in opened(data).getpixel((5, 5)))


@pytest.mark.parametrize("filename, data, content_type", [
    ("anh.gif", image_bytes(400, 200, "GIF"), "image/gif"),
    ("anh.webp", image_bytes(400, 200, "WEBP"), "image/webp"),
    ("anh.jpeg", image_bytes(400, 200, "JPEG"), "image/jpeg"),
])
def test_every_allowed_image_type_is_taken(store, filename, data, content_type):
    media = upload(store, filename, data)
    assert (media["content_type"], media["kind"], list(media["renditions"])) == (content_type, "image", ["320"])


def test_open_returns_the_original_unchanged(store):
    original = photo_with_gps_sideways(800, 600)
    media = upload(store, "goc.jpg", original)
    served, data = store.open(media["id"])
    assert data == original
    assert (served["rendition"], served["content_type"], served["size"], served["filename"]) == (
        None, "image/jpeg", len(original), "goc.jpg")


def test_the_declared_type_decides_nothing(store):
    media = upload(store, "anh.png", image_bytes(100, 100), declared_type="application/pdf")
    assert media["content_type"] == "image/png"


# Documents


@pytest.mark.parametrize("filename, data, content_type", [
    ("ke-hoach.pdf", MINIMAL_PDF, "application/pdf"),
    ("thong-bao.docx", zip_bytes(DOCX_ENTRIES),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("bang-ke.xlsx", zip_bytes(XLSX_ENTRIES), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("thong-bao.odt", zip_bytes(odf_entries("application/vnd.oasis.opendocument.text")),
     "application/vnd.oasis.opendocument.text"),
    ("bang-ke.ods", zip_bytes(odf_entries("application/vnd.oasis.opendocument.spreadsheet")),
     "application/vnd.oasis.opendocument.spreadsheet"),
    ("cong-van.doc", compound_file(("WordDocument", 2)), "application/msword"),
    ("du-toan.xls", compound_file(("Workbook", 2)), "application/vnd.ms-excel"),
])
def test_every_allowed_document_type_is_taken(store, filename, data, content_type):
    media = upload(store, filename, data)
    assert (media["content_type"], media["kind"], media["size"]) == (content_type, "document", len(data))
    assert (media["width"], media["height"], media["renditions"]) == (None, None, {})
    assert store.open(media["id"])[1] == data


# Refused uploads: each says what is wrong, in which field, and writes nothing.


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize("filename, data, field, words", [
    ("photo.jpg", ELF, "file", "Linux program"),
    ("photo.jpg", PE, "file", "Windows program"),
    ("setup.jpg", b"#!/bin/sh\nrm -rf /\n", "file", "script"),
    ("photo.jpg", HTML, "file", "HTML"),
    ("bieu-tuong.svg", SVG, "file", "SVG"),
    ("bieu-tuong.png", SVG, "file", "SVG"),
    ("report.pdf", image_bytes(100, 100), "filename", "content is a PNG image"),
    ("photo.jpg", image_bytes(100, 100), "filename", "extension .jpg"),
    ("photo", image_bytes(100, 100), "filename", "no extension"),
    ("truncated.jpg", photo_with_gps_sideways(800, 600)[:4000], "file", "damaged"),
    ("empty.pdf", b"", "file", "empty"),
    ("cut.pdf", MINIMAL_PDF[:-8], "file", "incomplete"),
    ("archive.docx", zip_bytes({"readme.txt": b"hello", "tool.exe": PE}), "file", "zip archive"),
    ("macro.docx", zip_bytes({**DOCX_ENTRIES, "word/vbaProject.bin": b"\0" * 64}), "file", "macros"),
    ("macro.odt", zip_bytes({**odf_entries("application/vnd.oasis.opendocument.text"),
                             "Basic/Standard/Module1.xml": b"<script/>"}), "file", "macros"),
    ("macro.doc", compound_file(("WordDocument", 2), ("Macros", 1)), "file", "macros"),
    ("setup.doc", compound_file(("SummaryInformation", 2)), "file", "neither DOC nor XLS"),
    ("broken.doc", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 2000, "file", "damaged"),
    ("photo\u202egpj.exe.jpg", image_bytes(10, 10, "JPEG"), "filename", "control characters"),
])
def test_refused_uploads(store, database, filename, data, field, words):
    with pytest.raises(InvalidInput) as refused:
        upload(store, filename, data)
    assert list(refused.value.fields) == [field]
    assert words.lower() in refused.value.message.lower()
    assert stored_file_counts(database) == (0, 0, 0)


def test_an_oversize_file_is_refused_with_its_size_and_the_limit(database):
    store = MediaStore(ContentDatabase(database), max_image_bytes=2000, max_document_bytes=100)
    with pytest.raises(InvalidInput) as image_refused:
        upload(store, "anh.jpg", photo_with_gps_sideways(800, 600))
    with pytest.raises(InvalidInput) as document_refused:
        upload(store, "ke-hoach.pdf", MINIMAL_PDF)

    assert image_refused.value.fields == {"file": "too large"}
    assert "KB" in image_refused.value.message and "images may be at most 2.0 KB" in image_refused.value.message
    assert document_refused.value.message == (
        f"The file is {len(MINIMAL_PDF)} bytes; documents may be at most 100 bytes")
    assert stored_file_counts(database) == (0, 0, 0)


def test_an_image_with_too_many_pixels_is_refused_before_decoding(store, database):
    # 49 megapixels of one-bit white: about 6 KB as PNG, 147 MB once decoded to RGB.
    bomb = image_bytes(7000, 7000, mode="1")
    assert len(bomb) < 100_000
    with pytest.raises(InvalidInput, match="more than 40 megapixels") as refused:
        upload(store, "bomb.png", bomb)
    assert refused.value.fields == {"file": "too many pixels"}
    assert stored_file_counts(database) == (0, 0, 0)


def test_alt_text_has_a_length_limit(store):
    with pytest.raises(InvalidInput) as refused:
        upload(store, "anh.png", image_bytes(10, 10), alt="x" * 301)
    assert refused.value.fields == {"alt": "too long"}


def test_a_client_side_path_is_reduced_to_the_composed_name(store):
    decomposed = "C:\\fakepath\\a\u0309nh.png"  # "ảnh" as macOS spells it, under an old IE path
    assert upload(store, decomposed, image_bytes(10, 10))["filename"] == "\u1ea3nh.png"


def test_a_failed_rendition_leaves_nothing_behind(store, database, monkeypatch):
    made = []

    def fail_on_the_second(image, width, icc_profile):
        if made:
            raise OSError("encoder crashed")
        made.append(width)
        return real_render(image, width, icc_profile)

    real_render = renditions.render
    monkeypatch.setattr(renditions, "render", fail_on_the_second)
    with pytest.raises(OSError, match="encoder crashed"):
        upload(store, "hoi-nghi.png", image_bytes(2000, 1000))

    assert made == [320], "the original and one rendition were written before the failure"
    assert stored_file_counts(database) == (0, 0, 0)


# Reading, listing, deleting


def test_unknown_media_and_renditions_are_not_found(store):
    media = upload(store, "logo.png", image_bytes(200, 100))
    with pytest.raises(NotFound):
        store.get("khong-co")
    with pytest.raises(NotFound):
        store.open("khong-co")
    with pytest.raises(NotFound, match="no rendition '320'"):
        store.open(media["id"], "320")
    with pytest.raises(NotFound):
        store.delete("khong-co")


def test_get_returns_what_upload_returned(store):
    media = upload(store, "ke-hoach.pdf", MINIMAL_PDF)
    assert store.get(media["id"]) == media


def test_list_is_per_unit_newest_first_and_limited(store):
    first = upload(store, "mot.pdf", MINIMAL_PDF)
    second = upload(store, "hai.pdf", MINIMAL_PDF)
    store.upload("thua-thien-hue", "khac.pdf", MINIMAL_PDF, None, EDITOR)

    assert [media["id"] for media in store.list(UNIT)] == [second["id"], first["id"]]
    assert [media["id"] for media in store.list(UNIT, limit=1)] == [second["id"]]
    assert [media["id"] for media in store.list(UNIT, limit=1, skip=1)] == [first["id"]]


def test_exists_in_unit(store):
    media = upload(store, "ke-hoach.pdf", MINIMAL_PDF)
    assert store.exists_in_unit(media["id"], UNIT)
    assert not store.exists_in_unit(media["id"], "thua-thien-hue")
    assert not store.exists_in_unit("khong-co", UNIT)


def test_delete_removes_the_original_and_every_rendition(store, database):
    kept = upload(store, "ke-hoach.pdf", MINIMAL_PDF)
    media = upload(store, "hoi-nghi.png", image_bytes(2000, 1000))
    assert stored_file_counts(database)[0] == 5

    store.delete(media["id"])

    assert stored_file_counts(database)[0::2] == (1, 1)
    with pytest.raises(NotFound):
        store.get(media["id"])
    assert store.open(kept["id"])[1] == MINIMAL_PDF


# Cost: an upload's does not grow with the files stored


def test_the_store_makes_gridfs_indexes_before_any_upload(store, database):
    def indexes(collection: str) -> dict:
        return {tuple(index["key"].items()): index.get("unique", False)
                for index in database[collection].list_indexes()}

    assert indexes("media.files")[("filename", 1), ("uploadDate", 1)] is False
    assert indexes("media.chunks")[("files_id", 1), ("n", 1)] is True


def test_an_upload_reads_no_gridfs_collection_whole(store, database):
    """The driver asked, before each file, whether each GridFS collection was empty (to index
    it): a query without a filter, which reads every stored chunk on the MongoDB stand-in."""
    upload(store, "truoc.pdf", MINIMAL_PDF)
    database["system.profile"].drop()
    database.command("profile", 2)  # every operation, as MongoDB's profiler records them
    try:
        image = upload(store, "hoi-nghi.png", image_bytes(2000, 1000))
        document = upload(store, "ke-hoach.pdf", MINIMAL_PDF)
    finally:
        database.command("profile", 0)
    unfiltered = [op for op in database["system.profile"].find({"op": "query"})
                  if op["ns"].split(".", 1)[1].startswith("media.") and not op["command"].get("filter")]
    assert unfiltered == []
    assert store.open(image["id"], "320")[0]["width"] == 320
    assert store.open(document["id"])[1] == MINIMAL_PDF
