"""Text rules for published material: sanitised HTML and Vietnamese-safe slugs."""
import re
import unicodedata

import nh3

# Everything an article body legitimately needs; scripts, event handlers, styles and
# javascript: URLs never survive (nh3 drops them by default).
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote", "q",
    "h2", "h3", "h4", "ul", "ol", "li", "a", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "hr", "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


def sanitise_html(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"})


def slugify(text: str, max_length: int = 100) -> str:
    """'Thừa Thiên Huế: Đổi mới' -> 'thua-thien-hue-doi-moi'.

    'đ' has no Unicode decomposition, so stripping combining marks alone would drop it.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:max_length].rstrip("-") or "bai-viet"
