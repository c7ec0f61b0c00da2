"""What subscribers are told about, from each kind of published content: the unit it belongs to,
its category (news only), what an email needs to show it, and whether it is news still."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.common.events import (
    ArticlePublished,
    ConsultationOpened,
    DocumentPublished,
    ProcedurePublished,
    QuestionAnswered,
    SchedulePublished,
)


@dataclass(frozen=True)
class Item:
    # Unique among everything notify hears of; an article keeps its bare id, as before kinds existed.
    id: str
    kind: str
    unit: str
    category: str | None
    content: dict  # title, summary, path, unit_name: all an email shows of it
    public_since: datetime  # when it was published (answered, opened for comment)


# What was made public longer ago than this when notify hears of it is the past, not news: an
# old site's archive brought in by a history import (its items published on their old dates),
# or events sent again to rebuild a consumer. Subscribers are not emailed about it, nor is it put
# in their digests; a week covers notify being down over a long holiday.
NEWS_FOR = timedelta(days=7)


def is_news(item: Item, now: datetime) -> bool:
    return item.public_since >= now - NEWS_FOR


def item_of(event) -> Item:
    if isinstance(event, ArticlePublished):
        article = event.article
        return Item(event.document_id, "news", article.unit, article.category,
                    _content(article.title, article.summary, article.path, article.unit_name), article.published_at)
    if isinstance(event, DocumentPublished):
        document = event.document
        return Item(f"document:{event.document_id}", "documents", document.unit, None,
                    _content(f"{document.type} {document.number}", document.excerpt, document.path,
                             document.unit_name), document.published_at)
    if isinstance(event, SchedulePublished):
        schedule = event.schedule
        return Item(f"schedule:{event.document_id}", "schedules", schedule.unit, None,
                    _content(f"Lịch công tác tuần {schedule.week}", "", schedule.path, schedule.unit_name),
                    schedule.published_at)
    if isinstance(event, QuestionAnswered):
        question = event.question
        return Item(f"question:{event.document_id}", "answers", question.unit, None,
                    _content(question.title, "", question.path, question.unit_name), question.answered_at)
    if isinstance(event, ConsultationOpened):
        # A draft out for comment is told to those who follow the unit's documents: it is one.
        draft = event.consultation
        return Item(f"consultation:{event.document_id}", "documents", draft.unit, None,
                    _content(f"Lấy ý kiến dự thảo: {draft.title}",
                             f"Góp ý đến hết ngày {draft.closes_on:%d/%m/%Y}. {draft.description}", draft.path,
                             draft.unit_name), draft.opens_at)
    if isinstance(event, ProcedurePublished):
        # An administrative procedure is told to those who follow the unit's documents, as a draft
        # is: where a citizen learns what to bring and how long it takes. Once: a later version
        # of the same procedure has the same id, and a subscriber hears of an item once.
        procedure = event.procedure
        return Item(f"procedure:{event.document_id}", "documents", procedure.unit, None,
                    _content(f"Thủ tục hành chính: {procedure.name}",
                             f"Lĩnh vực {procedure.field}." + (f" Thời hạn giải quyết: {procedure.processing_time}."
                                                              if procedure.processing_time else ""),
                             procedure.path, procedure.unit_name), procedure.published_at)
    raise TypeError(f"nothing to tell subscribers about {event.name}")


def _content(title: str, summary: str, path: str, unit_name: str) -> dict:
    return {"title": title, "summary": summary, "path": path, "unit_name": unit_name}
