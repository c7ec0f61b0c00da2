"""A draft opened for comment, or an administrative procedure published, is told to those who
follow the unit's documents: a draft with its closing day, a procedure with its field and
processing time, once (its later versions are not told again); those who follow only the unit's
news hear nothing of either."""
from datetime import date

import pytest

from services.common import events
from tests.notify.test_scopes import alerts, follow
from tests.notify.units_tree import UNITS, ContentTree, news
from tests.servers import wait_for


@pytest.fixture
def content(container_factory, nameko_config):
    container = container_factory(ContentTree, nameko_config)
    container.start()
    return container


def opened(document_id, unit="phu-vang"):
    now = events.utcnow()
    return events.ConsultationOpened(
        document_id=document_id, version=2, occurred_at=now, consultation=events.ConsultationSnapshot(
            id=document_id, unit=unit, unit_name=UNITS[unit]["name"], title="Dự thảo Quy chế quản lý chợ",
            description="UBND huyện lấy ý kiến Nhân dân.", opens_at=now, closes_on=date(2027, 1, 15),
            path=f"/{unit}/du-thao/{document_id}", updated_at=now))


def test_a_draft_open_for_comment_reaches_the_units_document_followers(
    notify, notify_db, events_in, inbox, new_address
):
    documents, news_only = new_address(), new_address()
    follow(notify, notify_db, documents, "phu-vang", kind="documents")
    follow(notify, notify_db, news_only, "phu-vang")

    events_in.deliver(notify, "notify_consultation_subscribers", opened("du-thao-1"))
    events_in.deliver(notify, "notify_subscribers", news("bai-1"))

    told = followers_told(inbox, documents, news_only)
    assert told == ["Huyện Phú Vang: Lấy ý kiến dự thảo: Dự thảo Quy chế quản lý chợ"]
    body = alert_text(inbox, documents)
    assert "15/01/2027" in body and "/phu-vang/du-thao/du-thao-1" in body


def procedure(document_id, version=1, unit="phu-vang", name="Đăng ký khai sinh"):
    now = events.utcnow()
    return events.ProcedurePublished(
        document_id=document_id, version=version, occurred_at=now, procedure=events.ProcedureSnapshot(
            id=document_id, unit=unit, unit_name=UNITS[unit]["name"], name=name, code="1.001193",
            field="Hộ tịch", level="xa", processing_time="Ngay trong ngày",
            path=f"/{unit}/thu-tuc-hanh-chinh/{document_id}", published_at=now, updated_at=now))


def test_a_published_procedure_reaches_the_units_document_followers_once(
    notify, notify_db, events_in, inbox, new_address
):
    documents, news_only = new_address(), new_address()
    follow(notify, notify_db, documents, "phu-vang", kind="documents")
    follow(notify, notify_db, news_only, "phu-vang")

    events_in.deliver(notify, "notify_procedure_subscribers", procedure("khai-sinh"))
    events_in.deliver(notify, "notify_procedure_subscribers", procedure("khai-sinh", version=2))
    events_in.deliver(notify, "notify_subscribers", news("bai-1"))

    # Each handler sends what it planned before it returns: a second email would be in by now.
    assert followers_told(inbox, documents, news_only) == ["Huyện Phú Vang: Thủ tục hành chính: Đăng ký khai sinh"]
    body = alert_text(inbox, documents)
    assert "Hộ tịch" in body and "Ngay trong ngày" in body and "/phu-vang/thu-tuc-hanh-chinh/khai-sinh" in body


def followers_told(inbox, documents, news_only) -> list[str]:
    """What the documents' follower was told (once the news follower has the unit's news, and
    nothing else)."""
    wait_for(lambda: alerts(inbox, news_only), message="the news email")
    wait_for(lambda: alerts(inbox, documents), message="the documents' email")
    assert alerts(inbox, news_only) == ["Huyện Phú Vang: Tin mới"]
    return alerts(inbox, documents)


def alert_text(inbox, address) -> str:
    email = next(message for message in inbox(address) if "Xác nhận" not in message["Subject"])
    body = next(part for part in email.walk() if part.get_content_type() == "text/plain")
    return body.get_payload(decode=True).decode()
