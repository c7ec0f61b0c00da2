"""What the index holds, built from the content service's event snapshots: one searchable
document per published item (an article, a legal document, a unit's schedule for a week, an
answered question, a unit's static page, an administrative procedure) and one hidden record
per unit, which gives its level.

Every item becomes the same few fields (title, summary, body, the unit's names, a date), so one
query, one ranking and one result shape serve all six types.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from services.common.events import (
    ArticlePublished,
    ArticleSnapshot,
    ArticleUnpublished,
    ArticleUpdated,
    ConsultationOpened,
    ConsultationSnapshot,
    ConsultationUpdated,
    DocumentPublished,
    DocumentSnapshot,
    Event,
    PagePublished,
    PageSnapshot,
    PageWithdrawn,
    ProcedurePublished,
    ProcedureSnapshot,
    ProcedureWithdrawn,
    QuestionAnswered,
    QuestionReceived,
    QuestionSnapshot,
    SchedulePublished,
    ScheduleSnapshot,
    UnitUpdated,
)
from services.common.vietnam_time import LOCAL_TIME, local_midnight
from services.search.text import fold, html_to_text, normalise, words

ARTICLE, DOCUMENT, SCHEDULE, QUESTION, PAGE = "article", "document", "schedule", "question", "page"
PROCEDURE = "procedure"
CONSULTATION = "consultation"
TYPES = (ARTICLE, DOCUMENT, SCHEDULE, QUESTION, PAGE, PROCEDURE, CONSULTATION)
UNIT = "unit"  # the type of the hidden per-unit records
BEST_BET = "best_bet"  # the type of the hidden records pinning an item to a query
# The languages items are written in: a unit's static pages come in Vietnamese and English,
# everything else is Vietnamese.
VIETNAMESE, ENGLISH = "vi", "en"
LANGUAGES = (VIETNAMESE, ENGLISH)

# Titles for the types whose snapshots have none, as citizens would type them ('quyết định số
# 12/2026/QĐ-UBND', 'lịch công tác'): indexed text, so they are made here, not in templates.
DOCUMENT_TITLE = "{type} số {number}"
SCHEDULE_TITLE = "Lịch công tác tuần {week}/{year} ({monday:%d/%m/%Y} – {sunday:%d/%m/%Y})"
# A procedure's line under its title, in the words citizens search with ('thủ tục đăng ký khai sinh').
PROCEDURE_SUMMARY = "Thủ tục hành chính · Lĩnh vực {field} · {level}"
PROCEDURE_LEVELS = {"tinh": "Cấp tỉnh", "huyen": "Cấp huyện", "xa": "Cấp xã"}
# A draft's line under its title: what citizens search with ('dự thảo lấy ý kiến') and its closing day.
CONSULTATION_SUMMARY = "Dự thảo lấy ý kiến · hạn góp ý {closes_on:%d/%m/%Y} · {description}"
PART_SEPARATOR = " · "
# The site of a province, district or commune is its People's Committee's, and citizens name it
# either way ('Xã Phú Mậu', 'UBND xã Phú Mậu'): such a unit is searchable by both names.
LOCAL_GOVERNMENTS = ("tỉnh", "thành phố", "thị xã", "huyện", "quận", "xã", "phường", "thị trấn")
PEOPLES_COMMITTEE = "Ủy ban nhân dân"


def key(type_: str, document_id: str) -> str:
    """The index's id for an item: ids are unique within a type only."""
    return f"{type_}:{document_id}"


def moment(at: datetime) -> str:
    """A time as the index keeps it: to the millisecond, as MongoDB keeps it, so an item reads
    the same from its event and from the content service's replay (an event sent as a page is
    created carries microseconds)."""
    return at.replace(microsecond=at.microsecond // 1000 * 1000).isoformat()


@dataclass(frozen=True)
class IndexedDocument:
    key: str
    id: str
    type: str
    unit: str
    unit_name: str
    category: str | None  # articles only
    title: str
    summary: str
    body: str
    number: str  # a legal document's number folded ('12/2026/qd-ubnd'); '' for other types
    path: str
    date: str  # ISO time: published (article), issued (document), week start (schedule), answered
    # (question), last changed (page)
    published_at: str
    # Equal for the same item published by several units (see same_text): results show it once.
    fingerprint: str
    lang: str = VIETNAMESE  # one of LANGUAGES: a query in a language prefers items in it

    @property
    def unit_names(self) -> str:
        """The unit as a query may name it (searchable, weighted low)."""
        return unit_names(self.unit_name)

    @property
    def spellings(self) -> list[str]:
        """The title's words as 'folded spelled' pairs ('hue huế'): the vocabulary did-you-mean
        corrects from, spelled as the titles spell it."""
        return sorted({f"{fold(word.text)} {word.text.lower()}" for word in words(self.title)
                       if not any(char.isdigit() for char in word.text)})


def from_article(document_id: str, article: ArticleSnapshot) -> IndexedDocument:
    return IndexedDocument(
        key=key(ARTICLE, document_id), id=document_id, type=ARTICLE, unit=article.unit,
        unit_name=article.unit_name, category=article.category or None, title=normalise(article.title),
        summary=normalise(article.summary), body=html_to_text(article.body_html), number="",
        path=article.path, date=moment(article.published_at), published_at=moment(article.published_at),
        fingerprint=same_text(ARTICLE, article.unit_name, article.title, article.summary,
                              html_to_text(article.body_html)),
    )


def from_document(document_id: str, document: DocumentSnapshot) -> IndexedDocument:
    return IndexedDocument(
        key=key(DOCUMENT, document_id), id=document_id, type=DOCUMENT, unit=document.unit,
        unit_name=document.unit_name, category=None,
        title=normalise(DOCUMENT_TITLE.format(type=document.type, number=document.number)),
        summary=normalise(document.excerpt),
        # A disclosure's section is words a reader looks for: "dự toán ngân sách", "mua sắm công".
        body=_joined(document.issuing_body, document.field, document.section_title, document.signer),
        number=fold(normalise(document.number)), path=document.path,
        date=local_midnight(document.issued_on).isoformat(), published_at=moment(document.published_at),
        # One document whoever publishes it; the issuing body is often the unit itself, so its
        # name stays: two units' plans both numbered 15/2026/KH-UBND are two documents.
        fingerprint=same_text(DOCUMENT, "", document.number, document.issuing_body),
    )


def from_schedule(document_id: str, schedule: ScheduleSnapshot) -> IndexedDocument:
    year, week = schedule.week.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    sunday = date.fromisocalendar(int(year), int(week), 7)
    entries = sorted(schedule.entries, key=lambda entry: entry.start)
    body = " | ".join(
        _joined(f"{entry.start.astimezone(LOCAL_TIME):%d/%m/%Y %H:%M}", entry.title, entry.leader, entry.location,
                entry.participants, entry.preparer)
        for entry in entries)
    return IndexedDocument(
        key=key(SCHEDULE, document_id), id=document_id, type=SCHEDULE, unit=schedule.unit,
        unit_name=schedule.unit_name, category=None,
        title=SCHEDULE_TITLE.format(week=int(week), year=year, monday=monday, sunday=sunday),
        # The week's agenda shows under the title; the body adds times, leaders and places.
        summary="; ".join(normalise(entry.title) for entry in entries), body=body, number="",
        path=schedule.path, date=local_midnight(monday).isoformat(), published_at=moment(schedule.published_at),
        fingerprint=_digest(key(SCHEDULE, document_id)),  # a unit's own week, never another's
    )


def from_question(document_id: str, question: QuestionSnapshot) -> IndexedDocument:
    answered_at = moment(question.answered_at)
    return IndexedDocument(
        key=key(QUESTION, document_id), id=document_id, type=QUESTION, unit=question.unit,
        unit_name=question.unit_name, category=None, title=normalise(question.title),
        summary=normalise(question.question),
        body=_joined(html_to_text(question.answer_html), question.answered_by), number="",
        path=question.path, date=answered_at, published_at=answered_at,
        # Who answered is left out, as the unit is: the same answer signed by another is the same.
        fingerprint=same_text(QUESTION, question.unit_name, question.title, question.question,
                              html_to_text(question.answer_html)),
    )


def from_page(document_id: str, page: PageSnapshot) -> IndexedDocument:
    # Pages have no lead of their own: the highlight comes from the body.
    changed_at = moment(page.updated_at)
    return IndexedDocument(
        key=key(PAGE, document_id), id=document_id, type=PAGE, unit=page.unit, unit_name=page.unit_name,
        category=None, title=normalise(page.title), summary="", body=html_to_text(page.body_html), number="",
        path=page.path, date=changed_at, published_at=changed_at,
        fingerprint=same_text(PAGE, page.unit_name, page.title, html_to_text(page.body_html)), lang=page.lang,
    )


def from_procedure(document_id: str, procedure: ProcedureSnapshot) -> IndexedDocument:
    published_at = moment(procedure.published_at)
    papers = html_to_text(procedure.papers_html)
    return IndexedDocument(
        key=key(PROCEDURE, document_id), id=document_id, type=PROCEDURE, unit=procedure.unit,
        unit_name=procedure.unit_name, category=None, title=normalise(procedure.name),
        summary=PROCEDURE_SUMMARY.format(field=normalise(procedure.field),
                                         level=PROCEDURE_LEVELS.get(procedure.level, procedure.level)),
        body=_joined(procedure.code or "", papers, procedure.processing_time, procedure.fees, procedure.result,
                     procedure.legal_basis),
        number="", path=procedure.path, date=published_at, published_at=published_at,
        # The same procedure many communes publish, from the same national record, is shown once.
        fingerprint=same_text(PROCEDURE, procedure.unit_name, procedure.name, procedure.code or "", papers),
    )


def from_consultation(document_id: str, consultation: ConsultationSnapshot) -> IndexedDocument:
    """A draft out for comment, open or closed: dated by its opening, found by its summary too."""
    opened = moment(consultation.opens_at)
    return IndexedDocument(
        key=key(CONSULTATION, document_id), id=document_id, type=CONSULTATION, unit=consultation.unit,
        unit_name=consultation.unit_name, category=None, title=normalise(consultation.title),
        summary=CONSULTATION_SUMMARY.format(closes_on=consultation.closes_on,
                                            description=normalise(consultation.description)),
        body=_joined(consultation.field, html_to_text(consultation.summary_html)), number="",
        path=consultation.path, date=opened, published_at=opened,
        fingerprint=_digest(key(CONSULTATION, document_id)),  # a unit's own draft, never another's
    )

def same_text(type_: str, unit_name: str, *parts: str) -> str:
    """A fingerprint of an item's text: its words in lower case, with the publishing unit's own
    name left out ('UBND xã A trả lời…' and 'UBND xã B trả lời…' are one answer), so the copies
    of one item that many units publish share it. Accents are kept: 'Lễ hội ở Huế' and 'Lễ hội
    ở Huệ' are two items, and so is a copy someone retyped without them."""
    names = [_lower_words(name) for name in _own_names(unit_name)]
    texts = [" ".join(_without(_lower_words(part), names)) for part in parts]
    return _digest("\n".join([type_, *texts]))


def _own_names(unit_name: str) -> list[str]:
    """'Xã Phú Mậu' -> ['Xã Phú Mậu', 'Phú Mậu']: the name, and without its level if it has one."""
    if not unit_name.strip():
        return []
    folded = fold(normalise(unit_name))
    levels = [level for level in map(fold, LOCAL_GOVERNMENTS) if folded.startswith(f"{level} ")]
    return [unit_name, *(normalise(unit_name)[len(level) + 1:] for level in levels[:1])]


def _lower_words(text: str) -> list[str]:
    return [word.text.lower() for word in words(normalise(text))]


def _without(text: list[str], names: list[list[str]]) -> list[str]:
    """`text` with every occurrence of any of `names` (word sequences) taken out, longest first."""
    names = sorted((name for name in names if name), key=len, reverse=True)
    kept, position = [], 0
    while position < len(text):
        found = next((name for name in names if text[position:position + len(name)] == name), None)
        if found:
            position += len(found)
        else:
            kept.append(text[position])
            position += 1
    return kept


def _digest(text: str) -> str:
    """64 bits as 16 hexadecimal digits: one term in either engine (a number in tantivy)."""
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def unit_names(name: str) -> str:
    """'Xã Phú Mậu' -> 'Xã Phú Mậu · Ủy ban nhân dân xã Phú Mậu'; other units keep their one name."""
    name = normalise(name)
    folded = fold(name)
    if not any(folded == level or folded.startswith(f"{level} ") for level in map(fold, LOCAL_GOVERNMENTS)):
        return name
    return f"{name}{PART_SEPARATOR}{PEOPLES_COMMITTEE} {name[:1].lower()}{name[1:]}"


@dataclass(frozen=True)
class UnitRecord:
    """What search keeps of a unit: its level (filters and facets), its current name, and the
    unit above it (a query naming a district also means the communes under it)."""

    slug: str
    name: str
    level: str
    parent: str | None = None


@dataclass(frozen=True)
class BestBet:
    """An item a platform admin put first for a query (`query` folded, see pinned_query)."""

    query: str
    target: str  # the item's key

    @property
    def key(self) -> str:
        return f"{BEST_BET}:{self.query}|{self.target}"


def pinned_query(text: str) -> str:
    """A query as best bets match it: its words folded, single-spaced ('Học phí' = 'hoc  PHI')."""
    return " ".join(fold(word.text) for word in words(normalise(text)))


Record = IndexedDocument | UnitRecord | BestBet | None  # None: a tombstone


def indexed(event: Event) -> bool:
    """Whether `event` says anything search keeps. A question waiting or rejected is not public
    (only answered, published questions are); and one once published is never waiting or
    rejected again, so there is nothing to remove either."""
    return not isinstance(event, QuestionReceived)


def entry(event: Event) -> tuple[str, int, Record]:
    """What a contract event changes in the index: (key, version, record)."""
    if isinstance(event, (ArticlePublished, ArticleUpdated)):
        return _entry(from_article(event.document_id, event.article), event.version)
    if isinstance(event, ArticleUnpublished):
        return key(ARTICLE, event.document_id), event.version, None
    if isinstance(event, DocumentPublished):
        return _entry(from_document(event.document_id, event.document), event.version)
    if isinstance(event, SchedulePublished):
        return _entry(from_schedule(event.document_id, event.schedule), event.version)
    if isinstance(event, QuestionAnswered):
        return _entry(from_question(event.document_id, event.question), event.version)
    if isinstance(event, PagePublished):
        return _entry(from_page(event.document_id, event.page), event.version)
    if isinstance(event, PageWithdrawn):
        return key(PAGE, event.document_id), event.version, None
    if isinstance(event, ProcedurePublished):
        return _entry(from_procedure(event.document_id, event.procedure), event.version)
    if isinstance(event, ProcedureWithdrawn):
        return key(PROCEDURE, event.document_id), event.version, None
    if isinstance(event, (ConsultationOpened, ConsultationUpdated)):
        return _entry(from_consultation(event.document_id, event.consultation), event.version)
    if isinstance(event, UnitUpdated):
        unit = event.unit
        return key(UNIT, event.document_id), event.version, UnitRecord(slug=unit.slug, name=unit.name,
                                                                        level=unit.level, parent=unit.parent)
    raise ValueError(f"search does not index {event.name}")


def _entry(document: IndexedDocument, version: int) -> tuple[str, int, IndexedDocument]:
    return document.key, version, document


def _joined(*parts: str) -> str:
    return PART_SEPARATOR.join(normalise(part) for part in parts if part and part.strip())
