import unicodedata

from services.search.text import html_to_text, normalise


def test_normalise_composes_and_collapses_whitespace():
    decomposed = unicodedata.normalize("NFD", "  Thừa \t Thiên\n Huế ")
    assert normalise(decomposed) == "Thừa Thiên Huế"
    assert normalise(decomposed) == unicodedata.normalize("NFC", "Thừa Thiên Huế")


def test_html_to_text_keeps_readable_text_only():
    html = ("<h2>Ủy ban nhân dân</h2><p>Huế&nbsp;&amp; Đà Nẵng</p>"
            "<script>track()</script><style>p{}</style><p>điện<br/>tử</p>")
    assert html_to_text(html) == "Ủy ban nhân dân Huế & Đà Nẵng điện tử"
