"""A procedure published in the content service is found on the search page, labelled as an
administrative procedure and counted under its own type, and is gone once withdrawn: the whole
way through the contract events to the search service and back through the gateway."""
import re

from services.content.service import ContentService
from services.search.service import SearchService
from tests.drive import acting
from tests.gateway.test_procedure_pages import BIRTH
from tests.servers import wait_for

PORTAL_SERVICES = (ContentService, SearchService)
QUERY = {"q": "thủ tục đăng ký khai sinh"}


def found(client) -> str | None:
    page = client.simulate_get("/tim-kiem", params=QUERY)
    return page.text if "/thu-tuc-hanh-chinh/" in page.text else None


def test_a_published_procedure_is_found_labelled_and_gone_once_withdrawn(phu_mau):
    client = phu_mau.client
    with phu_mau.pool.services() as services:
        draft = services.content.create_procedure(acting(phu_mau.admin), "phu-mau", BIRTH)
        published = services.content.publish_procedure(acting(phu_mau.admin), draft["id"])
    text = wait_for(lambda: found(client), timeout=30, message="the procedure in search results")
    assert f'href="{published["path"]}"' in text
    assert re.search(r'<span class="type-label">Thủ tục hành chính</span>', text)
    snippet = re.search(r'<p class="snippet">(.*?)</p>', text).group(1)
    assert "Giấy chứng <mark>sinh</mark>" in snippet  # the passage of its papers that matches
    filtered = client.simulate_get("/tim-kiem", params={**QUERY, "type": "procedure"})
    assert f'href="{published["path"]}"' in filtered.text

    with phu_mau.pool.services() as services:
        services.content.withdraw_procedure(acting(phu_mau.admin), draft["id"], data={})
    wait_for(lambda: found(client) is None, timeout=30, message="the withdrawn procedure gone from search")
