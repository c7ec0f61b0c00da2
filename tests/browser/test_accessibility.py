"""Every kind of page meets WCAG 2.1 AA as axe-core checks it in a real browser, in the normal
look and with high contrast and large text; every page carries the security headers, and the
browser reports no Content Security Policy violation on any of them."""
from __future__ import annotations

import dataclasses
import re

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from falcon import testing

from gateway.app import create_app, shut_down
from gateway.rpc import RpcPool
from tests.browser.conftest import LOOKS, PAGES, UNIT, choose_display, next_page
from tests.servers import free_port

AXE = Axe()
BLOCKING = ("serious", "critical")

def blocking_violations(page) -> list[str]:
    """axe-core's serious and critical findings, each with the elements it found."""
    results = AXE.run(page)
    return [f"{violation['id']} ({violation['impact']}): {violation['help']}\n" + "\n".join(
                f"    {node['target']}: {node.get('failureSummary', '')}" for node in violation["nodes"])
            for violation in results.response["violations"] if violation["impact"] in BLOCKING]


class Visit:
    """A page opened in a browser tab, with the CSP violations the browser reported on the way."""

    def __init__(self, context, url: str):
        self.page = context.new_page()
        self.csp_reports: list[str] = []
        self.page.on("console", self._console)
        self.response = self.page.goto(url, wait_until="load")

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_reports.append(message.text)


def check(visit: Visit, status: int):
    assert visit.response.status == status, f"{visit.page.url} answered {visit.response.status}"
    problems = blocking_violations(visit.page)
    assert not problems, f"{visit.page.url}:\n" + "\n".join(problems)
    assert not visit.csp_reports, visit.csp_reports


@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_problem(site, new_context, name, look):
    visit = Visit(new_context(LOOKS[look]), site[name])
    if LOOKS[look]:
        assert visit.page.evaluate("document.documentElement.className") == "co-chu-lon tuong-phan-cao"
    check(visit, PAGES[name])


@pytest.mark.parametrize("look", LOOKS)
def test_a_question_form_sent_with_mistakes_comes_back_accessible(site, new_context, look):
    visit = Visit(new_context(LOOKS[look]), site["question form"])
    page = visit.page
    form = page.locator("main form[method='post' i]")
    # The browser's own checks would stop the empty form: the server's answer is what is tested.
    form.evaluate("form => { form.noValidate = true; }")
    form.locator("button[type='submit'], input[type='submit']").first.press("Enter")
    next_page(page, "main [aria-invalid='true']")
    problems = blocking_violations(page)
    assert not problems, "\n".join(problems)
    assert not visit.csp_reports, visit.csp_reports


@pytest.fixture(scope="module")
def unavailable_page(module_settings):
    """The page a reader gets when RabbitMQ cannot be reached, from a gateway pointed at a port
    where nothing listens (the platform under test keeps running)."""
    settings = dataclasses.replace(module_settings, AMQP_URI=f"amqp://guest:guest@127.0.0.1:{free_port()}/")
    pool = RpcPool(settings.as_nameko_config(), 1, 2.0)
    app = create_app(settings, pool)
    try:
        response = testing.TestClient(app).simulate_get(f"/{UNIT}")
    finally:
        shut_down(app)
        pool.close()
    assert response.status_code == 503
    return response


@pytest.mark.parametrize("look", LOOKS)
def test_the_service_unavailable_page_is_accessible(site, new_context, unavailable_page, look):
    context = new_context(LOOKS[look])
    address = f"{site.url}/{UNIT}"
    # This one address answers with that page; its stylesheet comes from the running platform.
    context.route(address, lambda route: route.fulfill(
        status=unavailable_page.status_code, headers=dict(unavailable_page.headers), body=unavailable_page.text))
    visit = Visit(context, address)
    assert "Tạm thời gián đoạn" in visit.page.locator("h1").inner_text()
    check(visit, 503)


def test_display_options_apply_from_the_links_and_stay_accessible(site, new_context):
    visit = Visit(new_context(), site["article"])
    page = visit.page
    options = page.get_by_role("navigation", name="Tùy chọn hiển thị")

    def choose(name, classes: str):
        choose_display(page, options.get_by_role("link", name=name), classes.replace("co-chu-", "").replace(" ", "+"))
        next_page(page, f"html[class='{classes}']")

    def current():
        return [link.text_content() for link in options.locator("a[aria-current='true']").all()]

    assert current() == ["A: Cỡ chữ vừa"]
    choose(re.compile(r"^A\+"), "co-chu-lon")
    assert page.url == site["article"]
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    assert current() == ["A+: Cỡ chữ lớn"]

    choose("Tương phản cao", "co-chu-lon tuong-phan-cao")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.querySelector('main h1')).color") == "rgb(255, 255, 255)"
    check(visit, 200)

    # The choice stays on the next page, and switches back.
    page.goto(site["unit home"])
    assert page.locator("html").get_attribute("class") == "co-chu-lon tuong-phan-cao"
    choose("Tương phản thường", "co-chu-lon")
    choose(re.compile("^A-"), "co-chu-nho")
    assert page.url == site["unit home"]
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "14px"


# Security headers, on every kind of page (requests, no browser needed).

@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_the_security_headers(site, name):
    response = requests.get(site[name], timeout=10, allow_redirects=False)
    assert response.status_code == PAGES[name]
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy or "frame-ancestors 'self'" in policy
    assert "default-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("strict-origin-when-cross-origin", "no-referrer", "same-origin")


def test_the_unavailable_page_and_the_display_route_carry_them_too(site, unavailable_page):
    display = requests.get(f"{site.url}/hien-thi?co-chu=lon&quay-lai=/", timeout=10, allow_redirects=False)
    assert display.status_code == 303
    for headers in (unavailable_page.headers, display.headers):
        headers = {k.lower(): v for k, v in headers.items()}
        assert "'unsafe-inline'" not in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"]


def test_pages_are_revalidated_so_a_new_display_choice_shows_at_once(site):
    response = requests.get(site["unit home"], timeout=10)
    assert "no-cache" in response.headers.get("Cache-Control", "") or "no-store" in response.headers.get(
        "Cache-Control", "")
    assert "cookie" in response.headers.get("Vary", "").lower()
