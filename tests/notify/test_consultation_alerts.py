"""A draft opened for comment is told to those who follow the unit's documents, with its
closing day; those who follow only its news hear nothing of it."""
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

    wait_for(lambda: alerts(inbox, news_only), message="the news email")
    wait_for(lambda: alerts(inbox, documents), message="the draft's email")
    assert alerts(inbox, documents) == ["Huyện Phú Vang: Lấy ý kiến dự thảo: Dự thảo Quy chế quản lý chợ"]
    assert alerts(inbox, news_only) == ["Huyện Phú Vang: Tin mới"]
    email = next(message for message in inbox(documents) if "Xác nhận" not in message["Subject"])
    body = next(part for part in email.walk() if part.get_content_type() == "text/plain")
    body = body.get_payload(decode=True).decode()
    assert "15/01/2027" in body and "/phu-vang/du-thao/du-thao-1" in body
