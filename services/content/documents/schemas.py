from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from services.common.schemas import Output
from services.content import disclosures
from services.content.database import local, now
from services.content.documents.keys import MAX_NUMBER_PARTS
from services.content.revisions import Revision, RevisionDiff, Rollback
from services.content.text import folded_words, single_spaced
from services.content.validation import MAX_FETCH, Day, Input, Page, Version, limit_field

# Vietnam's legal documents begin in 1945; an earlier year is a typing slip.
EARLIEST_ISSUE = date(1945, 1, 1)
# "12/2026/QĐ-UBND", "125/UBND-VP", "05/CT-UBND", "12a/2026/NQ-HĐND": a serial number, then
# symbols of letters and digits separated by "/", "-" or "." (Decree 30/2020/NĐ-CP, Annex I).
NUMBER_PATTERN = re.compile(r"\d{1,7}[A-Za-zĐđ]?/[0-9A-Za-zĐđ]+(?:[/.-][0-9A-Za-zĐđ]+)*")
NUMBER_SHAPE = "must look like 12/2026/QĐ-UBND: a serial number, '/', then symbols separated by '/', '-' or '.'"


def _blank_is_none(value):
    # A search form sends its empty boxes as empty strings: those criteria are simply not given.
    return None if isinstance(value, str) and not value.strip() else value


Optional = BeforeValidator(_blank_is_none)


def _not_before(value: date | None, info: ValidationInfo, earlier: str) -> date | None:
    # Fields are checked in order: `earlier` is in info.data when it came first and was valid itself.
    other = info.data.get(earlier)
    if value is not None and other is not None and value < other:
        raise ValueError(f"cannot be before {earlier}")
    return value


def _searchable(value: str) -> str:
    if not folded_words(value):
        raise ValueError("must contain letters or digits")
    return value


_DOCUMENT_EXAMPLE = {
    "number": "25/2026/QĐ-UBND", "type": "Quyết định", "issuing_body": "UBND xã Phú Mậu",
    "signer": "Nguyễn Văn An", "issued_on": "2026-04-06", "effective_on": "2026-04-20",
    "excerpt": "Ban hành Quy chế quản lý, vận hành Trang thông tin điện tử xã Phú Mậu",
    "field": "Công nghệ thông tin",
}


class DocumentInput(Input):
    """A legal document's fields. Its file is uploaded first (POST /api/units/{unit}/media, a
    PDF, DOC(X), XLS(X), ODT or ODS) and named here by the media id that upload answers with."""
    model_config = ConfigDict(json_schema_extra={"examples": [_DOCUMENT_EXAMPLE]})

    number: str = Field(min_length=3, max_length=50, description="số ký hiệu, e.g. 12/2026/QĐ-UBND")
    type: str = Field(min_length=2, max_length=60, description="e.g. Quyết định, Công văn, Kế hoạch")
    issuing_body: str = Field(min_length=2, max_length=200, description="cơ quan ban hành")
    signer: str = Field(default="", max_length=120, description="người ký")
    issued_on: Day = Field(description="ngày ban hành")
    effective_on: Annotated[Day | None, Optional] = Field(default=None, description="ngày hiệu lực")
    excerpt: str = Field(min_length=5, max_length=2000, description="trích yếu")
    field: str = Field(default="", max_length=100, description="lĩnh vực")
    file: Annotated[str | None, Optional] = Field(default=None, max_length=64,
                                                  description="media id of the uploaded document file")
    section: Annotated[str | None, Optional] = Field(
        default=None, max_length=60,
        description="the disclosure section (mục công khai) it is filed under, one its unit's level owes ("
                    + ", ".join(disclosures.KEYS) + "); absent or null for an ordinary legal document")

    @field_validator("section")
    @classmethod
    def _known_section(cls, value: str | None) -> str | None:
        if value is not None and disclosures.get(value) is None:
            raise ValueError(f"unknown disclosure section: must be one of {', '.join(disclosures.KEYS)}")
        return value

    @field_validator("number")
    @classmethod
    def _number(cls, value: str) -> str:
        # "12 / 2026 / QĐ - UBND" is the same number typed loosely.
        number = re.sub(r"\s*([/.-])\s*", r"\1", unicodedata.normalize("NFC", value))
        if not NUMBER_PATTERN.fullmatch(number):
            raise ValueError(NUMBER_SHAPE)
        if len(folded_words(number)) > MAX_NUMBER_PARTS:
            raise ValueError(f"has more than {MAX_NUMBER_PARTS} parts")
        return number

    @field_validator("type", "issuing_body")
    @classmethod
    def _label(cls, value: str) -> str:
        return _searchable(single_spaced(value))

    @field_validator("signer", "field")
    @classmethod
    def _name(cls, value: str) -> str:
        return single_spaced(value)

    @field_validator("issued_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > local(now()).date():
            raise ValueError("cannot be in the future: a document is published after it is issued")
        if value < EARLIEST_ISSUE:
            raise ValueError(f"must be {EARLIEST_ISSUE.year} or later")
        return value

    @field_validator("effective_on")
    @classmethod
    def _effective_after_issue(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "issued_on")


class DocumentChange(DocumentInput):
    """A document's fields as they are to stand, and the version the change is based on."""
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "number": "12/2026/QĐ-UBND", "type": "Quyết định", "issuing_body": "UBND xã Phú Mậu",
        "signer": "Trần Thị Bình", "issued_on": "2026-03-02", "effective_on": "2026-03-15",
        "excerpt": "Về việc thành lập Ban chỉ đạo chuyển đổi số xã Phú Mậu", "field": "Chuyển đổi số",
        "version": 2}]})

    version: Version = Field(description="the version the change is based on (409 if it is not the current one)")


class DocumentPublication(Input):
    """Publishing a draft, based on the version given (if the caller holds one)."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1}]})

    version: Version | None = None


class DocumentSearch(Page):
    unit: Annotated[str | None, Optional] = Field(default=None, max_length=100)
    number: Annotated[str | None, Optional] = Field(default=None, max_length=50)
    type: Annotated[str | None, Optional] = Field(default=None, max_length=60)
    issuer: Annotated[str | None, Optional] = Field(default=None, max_length=200)
    issued_from: Annotated[Day | None, Optional] = None
    issued_to: Annotated[Day | None, Optional] = None
    text: Annotated[str | None, Optional] = Field(default=None, max_length=200)
    # Deep pages cost a scan of everything skipped; nobody reads page 500 of a document list.
    skip: int = Field(default=0, ge=0, le=10_000)
    sort: Literal["-issued_on", "issued_on"] = "-issued_on"

    @field_validator("number", "type", "issuer", "text")
    @classmethod
    def _criterion(cls, value: str | None) -> str | None:
        return None if value is None else _searchable(value)

    @field_validator("issued_to")
    @classmethod
    def _ordered_dates(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "issued_from")


class DisclosureListing(Page):
    """A page of a unit's published documents of one disclosure section, newest issued first,
    of one year of issue if `year` is given."""
    section: str = Field(max_length=60)
    year: int | None = Field(default=None, ge=EARLIEST_ISSUE.year, le=9999)
    skip: int = Field(default=0, ge=0, le=10_000)

    @field_validator("year")
    @classmethod
    def _past_year(cls, value: int | None) -> int | None:
        if value is not None and value > local(now()).year:
            raise ValueError("cannot be in the future")
        return value


class EditorsListing(Page):
    """A page of a unit's documents in every state (or one), last changed first."""
    status: Annotated[Literal["draft", "published"] | None, Optional] = None
    limit: int = limit_field(50, MAX_FETCH)


# What the RPCs answer with

class LegalDocumentFile(Output):
    """The document's file as it was uploaded; `path` downloads it under its own name."""
    media_id: str
    filename: str
    content_type: str
    size: int = Field(description="bytes")
    path: str = Field(description="its address, /tep/{media_id}")


class LegalDocument(Output):
    id: str
    unit: str
    number: str = Field(description="số ký hiệu")
    type: str
    issuing_body: str
    signer: str
    issued_on: str = Field(description="YYYY-MM-DD")
    effective_on: str | None = Field(description="YYYY-MM-DD")
    excerpt: str
    field: str
    file: LegalDocumentFile | None
    section: str | None = Field(description="the disclosure section it is filed under, or null")
    status: Literal["draft", "published"]
    version: int
    path: str = Field(description="the document's address on the unit's site")
    created_at: str
    updated_at: str
    published_at: str | None


class DisclosureSection(Output):
    """A disclosure section a unit's level owes, with what the unit has published in it."""
    key: str
    title: str
    title_en: str
    source: str = Field(description="the legal text that requires it")
    count: int = Field(description="published documents filed under it")
    newest_issued_on: str | None = Field(description="YYYY-MM-DD: the newest document's issue date, null if none")
    path: str = Field(description="its address on the unit's site")


class DisclosureList(Output):
    """A page of a section's documents, newest issued first, and the years that have any."""
    section: DisclosureSection
    documents: list[LegalDocument]
    total: int = Field(description="documents of the year asked (or of every year)")
    years: list[int] = Field(description="the years of issue that have documents, newest first")


API_INPUTS = (DocumentInput, DocumentChange, DocumentPublication, Rollback)
API_OUTPUTS = (LegalDocument, DisclosureSection, Revision, RevisionDiff)
