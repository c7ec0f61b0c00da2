"""An administrative procedure ("thủ tục hành chính") as a unit publishes it (Decree 42/2022/NĐ-CP,
art. 4; Decree 63/2010/NĐ-CP on publicising procedures): what it is called and its code in the
national database, its field, the level that handles it, how long it takes and costs, the papers
to bring, what comes out, its legal basis, and where to file it online."""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AwareDatetime, BeforeValidator, ConfigDict, Field, HttpUrl, field_validator

from services.common.schemas import Output
from services.content.revisions import Revision, RevisionDiff, Rollback
from services.content.text import folded_words, paragraphs, single_spaced
from services.content.validation import MAX_FETCH, InCalendar, Input, IsoMoment, Page, Version, limit_field

# The levels that handle procedures (cấp thực hiện), as the national database names them.
LEVELS = ("tinh", "huyen", "xa")
# The national database's codes: a group digit, a dot, six digits ("1.001193", "2.000889").
CODE_PATTERN = re.compile(r"[0-9]\.[0-9]{6}")
MAX_PAPERS = 20_000  # characters of HTML: a long list of papers with their forms is a few thousand


def _blank_is_none(value):
    return None if isinstance(value, str) and not value.strip() else value


Optional = BeforeValidator(_blank_is_none)


_PROCEDURE_EXAMPLE = {
    "name": "Đăng ký khai sinh", "code": "1.001193", "field": "Hộ tịch", "level": "xa",
    "processing_time": "Ngay trong ngày làm việc",
    "fees": "Miễn lệ phí đăng ký khai sinh đúng hạn",
    "papers_html": "<ul><li>Tờ khai đăng ký khai sinh</li><li>Giấy chứng sinh</li></ul>",
    "result": "Giấy khai sinh (bản chính)",
    "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP",
    "portal_url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193",
}


class ProcedureInput(Input):
    """An administrative procedure's fields. `papers_html` is sanitised as an article's body is;
    `portal_url` is where citizens file it online (the national or the province's portal)."""
    model_config = ConfigDict(json_schema_extra={"examples": [_PROCEDURE_EXAMPLE]})

    name: str = Field(min_length=5, max_length=300, description="tên thủ tục")
    code: Annotated[str | None, Optional] = Field(default=None, max_length=8,
                                                  description="mã thủ tục in the national database, e.g. 1.001193")
    field: str = Field(min_length=2, max_length=100, description="lĩnh vực, e.g. Hộ tịch")
    level: Literal[LEVELS] = Field(description="cấp thực hiện: tinh, huyen or xa")
    processing_time: str = Field(default="", max_length=300, description="thời hạn giải quyết")
    fees: str = Field(default="", max_length=1000, description="phí, lệ phí")
    papers_html: str = Field(default="", max_length=MAX_PAPERS, description="thành phần hồ sơ (HTML)")
    result: str = Field(default="", max_length=500, description="kết quả thực hiện")
    legal_basis: str = Field(default="", max_length=3000, description="căn cứ pháp lý")
    portal_url: Annotated[HttpUrl | None, Optional] = Field(
        default=None, description="the procedure on the online public-services portal (http or https)")

    @field_validator("name", "field")
    @classmethod
    def _label(cls, value: str) -> str:
        value = single_spaced(value)
        if not folded_words(value):
            raise ValueError("must contain letters or digits")
        return value

    @field_validator("code")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        if value is not None and not CODE_PATTERN.fullmatch(value):
            raise ValueError("must look like 1.001193: one digit, a dot, six digits")
        return value

    @field_validator("processing_time", "fees", "result")
    @classmethod
    def _line(cls, value: str) -> str:
        return single_spaced(value)

    @field_validator("legal_basis", mode="before")
    @classmethod
    def _paragraphs(cls, value):
        return paragraphs(value)


class ProcedureChange(ProcedureInput):
    """A procedure's fields as they are to stand, and the version the change is based on."""
    model_config = ConfigDict(json_schema_extra={"examples": [{**_PROCEDURE_EXAMPLE, "version": 2}]})

    version: Version = Field(description="the version the change is based on (409 if it is not the current one)")


class ProcedurePublication(Input):
    """Publishing a draft, based on the version given (if the caller holds one)."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1}]})

    version: Version | None = None


class ProcedureImport(Input):
    """Procedures published at once, all at `published_at` (the demo's, an old site's)."""
    items: list[ProcedureInput] = Field(max_length=500)
    published_at: Annotated[AwareDatetime, IsoMoment, InCalendar]


class ProcedureListing(Input):
    """A unit's published procedures, all of one field if `field` is given (any case and marks)."""
    field: Annotated[str | None, Optional] = Field(default=None, max_length=100)


class EditorsListing(Page):
    """A page of a unit's procedures in every state (or one), last changed first."""
    status: Annotated[Literal["draft", "published"] | None, Optional] = None
    limit: int = limit_field(50, MAX_FETCH)


# What the RPCs answer with

class Procedure(Output):
    id: str
    unit: str
    name: str
    code: str | None = Field(description="mã thủ tục in the national database")
    field: str = Field(description="lĩnh vực")
    level: Literal[LEVELS] = Field(description="cấp thực hiện")
    processing_time: str
    fees: str
    papers_html: str
    result: str
    legal_basis: str
    portal_url: str | None
    status: Literal["draft", "published"]
    version: int
    path: str = Field(description="the procedure's address on the unit's site")
    created_at: str
    updated_at: str
    published_at: str | None


class ProcedureField(Output):
    name: str = Field(description="lĩnh vực")
    key: str = Field(description="its name folded, as the `field` filter takes it")
    count: int


class ProcedureCatalogue(Output):
    """A unit's published procedures by field, fields and names in Vietnamese order."""
    fields: list[ProcedureField] = Field(description="every field the unit has procedures in")
    field: ProcedureField | None = Field(description="the field asked for, if the unit has procedures in it")
    procedures: list[Procedure] = Field(description="those of the field asked for, or all")


API_INPUTS = (ProcedureInput, ProcedureChange, ProcedurePublication, Rollback)
API_OUTPUTS = (Procedure, ProcedureCatalogue, Revision, RevisionDiff)
