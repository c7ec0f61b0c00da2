"""`/{unit}/the/{tag}`: a tag's articles, at an address made of the tag's words folded
(`/phu-mau/the/chinh-quyen-dien-tu`), which reads aloud, copies and prints without
percent-escapes. Articles keep their tags as their editors typed them, so one address gathers
every spelling that folds to it ('Chính quyền điện tử', 'chính quyền  điện tử'); the page is
named by the newest article's spelling. Old links made of the tag's raw text move there for good."""
from __future__ import annotations

import falcon

from gateway.errors import PortalHTTPError
from gateway.paging import page_number
from gateway.resources.base import unit_frame
from gateway.resources.pages import NewsPage, latest_page
from services.common.vietnamese import folded_key


def tag_address(unit: str, tag: str) -> str:
    """'/phu-mau/the/chinh-quyen-dien-tu' for the tag 'Chính quyền điện tử' of unit phu-mau."""
    return f"/{unit}/the/{folded_key(tag)}"


class TagPage(NewsPage):
    """`/{unit}/the/{tag}?trang=N`: a tag exists through its articles, so one without any is a 404."""

    def on_get(self, req, resp, unit, tag):
        key = folded_key(tag)
        if not key:
            raise PortalHTTPError(404, f"No tag address {tag!r}: it has no letters or digits")
        if key != tag:  # a raw-text address, as tags were linked before
            query = f"?{req.query_string}" if req.query_string else ""
            raise falcon.HTTPMovedPermanently(tag_address(unit, tag) + query)
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            page = page_number(req)
            if page is None:
                return self.render_problem(req, resp, frame, "page", req.get_param("trang"))
            listed = latest_page(services, unit, page, tag_key=key)
        if not listed["total"]:
            raise PortalHTTPError(404, f"No article tagged {key!r} in unit {unit!r}")
        self.render_list(req, resp, frame, listed, page, tag_address(unit, key),
                         tag=shown_name(listed["articles"], key))


def shown_name(articles: list[dict], key: str) -> str:
    """The tag as the newest of `articles` spells it."""
    return next((tag for article in articles for tag in article["tags"] if folded_key(tag) == key), key)
