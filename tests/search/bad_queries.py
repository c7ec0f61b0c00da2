"""What citizens paste or type into the search box that is not an ordinary query, shared by the
search service's bad-input tests and the gateway's (tests/search/test_bad_input.py,
tests/gateway/test_search_bad_input.py)."""
import itertools
import string

MAX_QUERY_CHARS = 2000  # a pasted paragraph is searched (the search issue); longer is refused
# A notice as a citizen copies it from a unit's page into the search box.
NOTICE = ("Ủy ban nhân dân xã Phú Mậu thông báo lịch tiếp công dân định kỳ của Chủ tịch trong tháng mười hai. "
          "Công dân có kiến nghị, phản ánh về đất đai, môi trường, chính sách xã hội mang theo giấy tờ tùy thân "
          "và hồ sơ liên quan đến bộ phận một cửa trước tám giờ sáng. Những nội dung đã được giải quyết đúng "
          "thẩm quyền sẽ không tiếp tục xem xét lại.")
KHAI_SINH_TITLE = "Đăng ký khai sinh cho trẻ em"

# No word worth searching: only fillers, punctuation, emoji, invisible or control characters.
WORDLESS = ["thì là mà", "cho tôi hỏi ạ", "và của các những", "?!...", "---", "…", "“”«»", "🙂🙂", "👍🏽",
            "🇻🇳", "\u200b", "\u200b\u200c\u200d\ufeff", "\x00\x07\x1b", "\u202e", "\t\r\n\x0b\x0c"]
# 'khai sinh' among what is not a letter or a digit: those only separate words.
KHAI_SINH = ["khai sinh 🙂", "🙂khai🙂sinh🙂", "khai\u200bsinh", "\ufeffkhai sinh\u200b", "khai\x00sinh",
             "\x07khai\tsinh\r\n", "khai sinh\x1b", "\u202ekhai sinh", "khai sinh?!...", "--- khai sinh ---"]
# 'khai sinh' beside a word of another script that no item has.
KHAI_SINH_ABROAD = ["Москва khai sinh", "中文 khai sinh", "khai sinh ภาษาไทย", "العربية khai sinh"]
MIXED_SCRIPTS = ["中文 Huế", "Москва", "東京 東京"]


def pasted(length: int) -> str:
    """The notice's words over and over, cut to exactly `length` characters at a word, the last
    word a number of the right size (as a paste that ends on a date or a file number)."""
    text = ""
    for word in itertools.cycle(NOTICE.split()):
        if len(text) + 1 + len(word) > length - 2:
            break
        text = f"{text} {word}".lstrip()
    return f"{text} {'2026-12-06-0001'[:length - len(text) - 1]}"


def with_line_breaks(paragraph: str) -> str:
    """The paragraph as pasted from a page, each sentence on its own indented line: longer as
    sent, the same once whitespace is collapsed (which is how the limit counts)."""
    return paragraph.replace(". ", ".\n\n    ")


def one_letter_words(count: int = 300) -> str:
    letters = itertools.cycle(string.ascii_lowercase + "đăâêôơư")
    return " ".join(next(letters) for _ in range(count))
