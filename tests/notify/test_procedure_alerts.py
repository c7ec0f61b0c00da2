"""A procedure published on a unit's site is told to those who follow the unit's documents, with
its field and processing time; its later versions are not told again, and those who follow only
the unit's news hear nothing of it."""
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


def published(document_id, version=1, unit="phu-vang", name="Đăng ký khai sinh"):
    now = events.utcnow()
    return events.ProcedurePublished(
        document_id=document_id, version=version, occurred_at=now, procedure=events.ProcedureSnapshot(
            id=document_id, unit=unit, unit_name=UNITS[unit]["name"], name=name, code="1.001193",
            field="Hộ tịch", level="xa", processing_time="Ngay trong ngày", path=f"/{unit}/thu-tuc-hanh-chinh/{document_id}",
            published_at=now, updated_at=now))


def test_a_published_procedure_reaches_the_units_document_followers_once(
    notify, notify_db, events_in, inbox, new_address
):
    documents, news_only = new_address(), new_address()
    follow(notify, notify_db, documents, "phu-vang", kind="documents")
    follow(notify, notify_db, news_only, "phu-vang")

    events_in.deliver(notify, "notify_procedure_subscribers", published("khai-sinh"))
    events_in.deliver(notify, "notify_procedure_subscribers", published("khai-sinh", version=2))
    events_in.deliver(notify, "notify_subscribers", news("bai-1"))

    wait_for(lambda: alerts(inbox, news_only), message="the news email")
    wait_for(lambda: alerts(inbox, documents), message="the procedure's email")
    # The news email was sent after both versions were handled: a second email would be in by now.
    assert alerts(inbox, documents) == ["Huyện Phú Vang: Thủ tục hành chính: Đăng ký khai sinh"]
    assert alerts(inbox, news_only) == ["Huyện Phú Vang: Tin mới"]
    email = next(message for message in inbox(documents) if "Xác nhận" not in message["Subject"])
    body = next(part for part in email.walk() if part.get_content_type() == "text/plain")
    body = body.get_payload(decode=True).decode()
    assert "Hộ tịch" in body and "Ngay trong ngày" in body and "/phu-vang/thu-tuc-hanh-chinh/khai-sinh" in body
