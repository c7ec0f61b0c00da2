"""Government news to search, and what citizens type to search it, for bench_search.

The corpus is built so that every kind of query has answers: each topic has paragraphs of its
own (its words appear only in its articles) and articles share a pool of everyday paragraphs.
Queries are drawn from the same sentences and the province's unit names, and every query of a
pool is different, so no search is answered from a cache.

Kinds (as the search issue names them): exact words, unaccented, phrase, abbreviation mix,
misspelt (telex leftovers, swapped or missing letters, wrong tones), a long citizen question,
relaxed (no item holds all its words), unit-scoped, a pasted paragraph of about 2,000
characters and 300 one-letter words.
"""
from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from services.search.text import fold

# A word every generated article carries, so one search counts them all while loading.
EVERY_ARTICLE = "Thừa Thiên Huế"


@dataclass(frozen=True)
class Topic:
    title: str
    paragraphs: tuple[str, ...]  # only this topic's articles have these


TOPICS = (
    Topic("Triển khai nhiệm vụ chuyển đổi số", (
        "Chuyển đổi số được xác định là nhiệm vụ trọng tâm, gắn với xây dựng chính quyền số và kinh tế số.",
        "Tổ công nghệ số cộng đồng hướng dẫn người dân cài đặt ứng dụng, thanh toán không dùng tiền mặt.")),
    Topic("Hội nghị tổng kết công tác năm", (
        "Hội nghị đánh giá kết quả thực hiện các chỉ tiêu kinh tế, khen thưởng tập thể và cá nhân tiêu biểu.",
        "Năm tới, đơn vị tập trung tháo gỡ khó khăn, đẩy nhanh giải ngân vốn đầu tư công.")),
    Topic("Ra quân vệ sinh môi trường", (
        "Hàng trăm đoàn viên thu gom rác thải, khơi thông cống rãnh và phát quang bụi rậm.",
        "Phong trào ngày chủ nhật xanh góp phần giữ gìn cảnh quan sáng, xanh, sạch, đẹp.")),
    Topic("Tiếp công dân định kỳ", (
        "Lãnh đạo trực tiếp tiếp công dân, lắng nghe kiến nghị, phản ánh về đất đai và giải quyết khiếu nại, tố cáo.",
        "Các trường hợp vượt thẩm quyền được hướng dẫn gửi đơn đến cơ quan có thẩm quyền giải quyết.")),
    Topic("Kỳ họp Hội đồng nhân dân", (
        "Kỳ họp thông qua nghị quyết về dự toán ngân sách và kế hoạch đầu tư công trung hạn.",
        "Đại biểu chất vấn về tiến độ dự án, chất lượng nước sinh hoạt và chợ truyền thống.")),
    Topic("Phòng chống lụt bão", (
        "Ban chỉ huy phòng chống lụt bão kiểm tra đê điều, hồ chứa và phương án sơ tán dân ở vùng trũng thấp.",
        "Lực lượng xung kích sẵn sàng ca nô, áo phao và lương thực dự trữ trước mùa mưa lũ.")),
    Topic("Tuyển sinh đầu cấp", (
        "Kỳ thi tuyển sinh lớp 10 trung học phổ thông công lập diễn ra nghiêm túc, đúng quy chế.",
        "Phụ huynh đăng ký tuyển sinh mầm non, lớp 1 và lớp 6 trực tuyến theo tuyến cư trú.")),
    Topic("Tiêm chủng mở rộng", (
        "Trạm y tế tổ chức tiêm vắc xin sởi, bạch hầu, ho gà cho trẻ em dưới 5 tuổi.",
        "Cán bộ y tế khám sàng lọc trước tiêm và theo dõi phản ứng sau tiêm chủng.")),
    Topic("Hỗ trợ hộ nghèo đón Tết", (
        "Trao quà Tết cho hộ nghèo, hộ cận nghèo, gia đình chính sách và người có công với cách mạng.",
        "Mỗi suất quà gồm gạo, tiền mặt và nhu yếu phẩm, trao tận tay người nhận.")),
    Topic("Cải cách thủ tục hành chính", (
        "Rút ngắn thời gian giải quyết hồ sơ, công khai quy trình nội bộ và xin lỗi người dân khi trễ hẹn.",
        "Chỉ số hài lòng của người dân về sự phục vụ của cơ quan hành chính tiếp tục tăng.")),
    Topic("Nâng cấp trang thông tin điện tử", (
        "Giao diện mới thân thiện với điện thoại di động, tra cứu văn bản và gửi câu hỏi trực tuyến.",
        "Trang thông tin điện tử bảo đảm an toàn thông tin mạng theo cấp độ.")),
    Topic("Hướng dẫn dịch vụ công trực tuyến", (
        "Người dân đăng nhập bằng tài khoản định danh điện tử VNeID để nộp hồ sơ trực tuyến toàn trình.",
        "Lệ phí được thanh toán trực tuyến, kết quả trả qua dịch vụ bưu chính công ích.")),
    Topic("Tuyển dụng công chức, viên chức", (
        "Thông báo tuyển dụng công chức, viên chức năm nay với chỉ tiêu cụ thể theo vị trí việc làm.",
        "Thí sinh nộp phiếu đăng ký dự tuyển, vòng hai thi phỏng vấn kiến thức chuyên ngành.")),
    Topic("Bảo đảm an toàn giao thông", (
        "Cảnh sát giao thông xử lý vi phạm nồng độ cồn, chạy quá tốc độ và không đội mũ bảo hiểm.",
        "Tai nạn giao thông giảm cả ba tiêu chí: số vụ, số người chết và số người bị thương.")),
    Topic("Xây dựng nông thôn mới", (
        "Xã đạt chuẩn nông thôn mới nâng cao, bê tông hóa đường giao thông nông thôn và kênh mương nội đồng.",
        "Sản phẩm OCOP như mè xửng, tôm chua và nón lá được nâng hạng ba sao.")),
    Topic("Phòng cháy chữa cháy khu dân cư", (
        "Diễn tập phương án chữa cháy và cứu nạn, cứu hộ tại khu dân cư với sự tham gia của tổ liên gia an toàn.",
        "Hộ gia đình được khuyến cáo trang bị bình chữa cháy và lối thoát nạn thứ hai.")),
    Topic("Kiểm tra an toàn thực phẩm", (
        "Đoàn liên ngành kiểm tra cơ sở sản xuất, kinh doanh thực phẩm và bếp ăn tập thể.",
        "Phát hiện hàng hóa không rõ nguồn gốc, xuất xứ, xử phạt và tiêu hủy theo quy định.")),
    Topic("Vận động tham gia bảo hiểm xã hội", (
        "Người lao động tự do được vận động tham gia bảo hiểm xã hội tự nguyện để có lương hưu.",
        "Nhà nước hỗ trợ một phần tiền đóng bảo hiểm xã hội tự nguyện cho người thuộc hộ nghèo.")),
    Topic("Festival Huế và du lịch cộng đồng", (
        "Festival Huế giới thiệu nghệ thuật cung đình, ẩm thực và làng nghề truyền thống.",
        "Du lịch cộng đồng ở làng cổ thu hút du khách trải nghiệm homestay và đạp xe đồng quê.")),
    Topic("Giải phóng mặt bằng dự án giao thông", (
        "Hội đồng bồi thường, hỗ trợ, tái định cư công khai phương án giá đất với các hộ bị ảnh hưởng.",
        "Chủ đầu tư cam kết bàn giao mặt bằng sạch để nhà thầu thi công đúng tiến độ.")),
    Topic("Đại hội Mặt trận Tổ quốc", (
        "Đại hội hiệp thương cử ủy ban Mặt trận Tổ quốc nhiệm kỳ mới, phát huy khối đại đoàn kết toàn dân.",
        "Cuộc vận động người Việt Nam ưu tiên dùng hàng Việt Nam được đẩy mạnh.")),
    Topic("Trồng cây xanh đô thị", (
        "Trồng mới cây bóng mát trên các tuyến phố, thay thế cây sâu bệnh và nguy cơ gãy đổ.",
        "Công viên ven sông được chỉnh trang, bổ sung thảm cỏ và hệ thống chiếu sáng.")),
    Topic("Đăng ký khai sinh cho trẻ em", (
        "Cha mẹ đăng ký khai sinh cho con trong thời hạn 60 ngày, kèm giấy chứng sinh của cơ sở y tế.",
        "Đăng ký khai sinh quá hạn, khai sinh lại và trích lục bản sao giấy khai sinh tại bộ phận hộ tịch.")),
    Topic("Cấp lại căn cước công dân", (
        "Công dân bị mất, hư hỏng thẻ căn cước công dân làm thủ tục cấp lại tại công an cấp xã.",
        "Thẻ căn cước gắn chip được tích hợp thông tin bảo hiểm y tế và giấy phép lái xe.")),
    Topic("Cấp giấy chứng nhận quyền sử dụng đất", (
        "Văn phòng đăng ký đất đai cấp giấy chứng nhận quyền sử dụng đất, còn gọi là sổ đỏ, cho hộ gia đình.",
        "Hồ sơ chuyển nhượng, tặng cho, thừa kế quyền sử dụng đất được giải quyết trong mười ngày làm việc.")),
    Topic("Đăng ký kết hôn và chứng thực", (
        "Công chức tư pháp hộ tịch hướng dẫn đăng ký kết hôn, xác nhận tình trạng hôn nhân.",
        "Chứng thực bản sao từ bản chính, chứng thực chữ ký và hợp đồng giao dịch miễn phí cho người có công.")),
    Topic("Chi trả trợ cấp xã hội", (
        "Chi trả trợ cấp xã hội hằng tháng cho người cao tuổi, người khuyết tật qua tài khoản ngân hàng.",
        "Hồ sơ hưởng trợ cấp mai táng phí được bưu điện chi trả tận nhà.")),
    Topic("Cấp thẻ bảo hiểm y tế học sinh", (
        "Học sinh, sinh viên tham gia bảo hiểm y tế theo hộ gia đình hoặc tại trường học.",
        "Thẻ bảo hiểm y tế điện tử được hiển thị trên ứng dụng VssID, khám chữa bệnh không cần thẻ giấy.")),
)
PLACES = ("tại hội trường", "ở các thôn, tổ dân phố", "dọc sông Hương", "tại trường học", "tại chợ",
          "ở vùng trũng thấp", "tại bộ phận một cửa", "trên địa bàn")
# Everyday paragraphs any article may have ({unit}: its unit's name, {number}: a decision's number).
COMMON_PARAGRAPHS = (
    "Ủy ban nhân dân {unit} tổ chức hội nghị triển khai nhiệm vụ, thống nhất giải pháp và phân công thực hiện.",
    "Người dân có thể nộp hồ sơ thủ tục hành chính qua dịch vụ công trực tuyến, theo dõi kết quả trên điện thoại.",
    "Trang thông tin điện tử của đơn vị cập nhật tin tức, văn bản và lịch công tác hằng tuần.",
    "Lãnh đạo yêu cầu các phòng, ban chuyên môn phối hợp chặt chẽ, báo cáo kết quả trước ngày 25 hằng tháng.",
    "Đoàn thanh niên, hội phụ nữ và hội nông dân cùng tham gia, vận động người dân hưởng ứng.",
    "Kinh phí thực hiện từ ngân sách địa phương và nguồn xã hội hóa, bảo đảm công khai, minh bạch.",
    "Theo Quyết định {number}, các đơn vị rà soát và hoàn thành trong quý.",
    "Công tác phòng chống thiên tai, tìm kiếm cứu nạn được chuẩn bị theo phương châm bốn tại chỗ.",
)
# Abbreviations citizens mix with words, and what they stand for in the corpus's sentences.
ABBREVIATIONS = (
    ("UBND", "Ủy ban nhân dân"), ("HĐND", "Hội đồng nhân dân"), ("CCCD", "căn cước công dân"),
    ("BHXH", "bảo hiểm xã hội"), ("BHYT", "bảo hiểm y tế"), ("THPT", "trung học phổ thông"),
    ("TTHC", "thủ tục hành chính"), ("DVC", "dịch vụ công"), ("ATGT", "an toàn giao thông"),
    ("ATTP", "an toàn thực phẩm"), ("PCCC", "phòng cháy chữa cháy"), ("NTM", "nông thôn mới"),
    ("CĐS", "chuyển đổi số"), ("TTĐT", "trang thông tin điện tử"), ("GPMB", "giải phóng mặt bằng"),
    ("MTTQ", "Mặt trận Tổ quốc"), ("CCVC", "công chức, viên chức"), ("QSDĐ", "quyền sử dụng đất"),
)
QUESTION_OPENINGS = ("cho tôi hỏi", "xin cho em hỏi", "Chào anh chị, cho tôi hỏi", "dạ cho cháu hỏi là",
                     "Tôi muốn hỏi về", "xin hỏi cán bộ", "kính gửi ủy ban, cho tôi hỏi")
QUESTION_MIDDLES = ("thì cần những giấy tờ gì", "làm ở đâu", "mất bao lâu thì có kết quả", "có mất phí không",
                    "có làm online được không", "nộp hồ sơ như thế nào", "ai là người giải quyết",
                    "nhà tôi ở xa thì", "tôi đi làm ăn xa nên", "con tôi năm nay")
QUESTION_ENDINGS = ("ạ", "vậy ạ", "xin cảm ơn", "mong được hướng dẫn ạ", "em cảm ơn nhiều ạ", "ạ?")
UNIT_KINDS = ("Xã ", "Phường ", "Thị trấn ", "Huyện ", "Thị xã ", "Thành phố ", "Tỉnh ")
LETTERS = "abcdeghiklmnopqrstuvxyđăâêôơư"
MAX_PARAGRAPH_CHARS = 2000

# Telex: how a Vietnamese keyboard's letters are typed when the input method is off.
_TELEX_MARKS = {"\u0302": None, "\u0306": "w", "\u031b": "w"}  # None: the vowel typed twice (â -> aa)
_TELEX_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_WORD = re.compile(r"[^\W_]+")


def sentences() -> list[str]:
    """Every sentence of the corpus that a query may quote, with no unit or number in it."""
    found = [topic.title for topic in TOPICS]
    found += [sentence for topic in TOPICS for sentence in topic.paragraphs]
    found += [sentence for sentence in COMMON_PARAGRAPHS if "{" not in sentence]
    return found


def telex(word: str) -> str:
    """'chuyển' -> 'chuyeenr', 'đổi' -> 'ddooir': the keys a telex typist presses, tone last."""
    typed, tone = [], ""
    for char in unicodedata.normalize("NFD", word.lower().replace("đ", "dd")):
        if char in _TELEX_TONES:
            tone = _TELEX_TONES[char]
        elif char in _TELEX_MARKS:
            typed.append(_TELEX_MARKS[char] or typed[-1])
        else:
            typed.append(char)
    return "".join(typed) + tone


def wrong_tone(word: str, rng: random.Random) -> str:
    """The same syllable with another tone mark, or none ('chủng' -> 'chũng')."""
    decomposed = unicodedata.normalize("NFD", word)
    plain = "".join(char for char in decomposed if char not in _TELEX_TONES)
    vowels = [index for index, char in enumerate(plain) if fold(char) in "aeiouy"]
    if not vowels:
        return word
    current = next((char for char in decomposed if char in _TELEX_TONES), "")
    tone = rng.choice([mark for mark in (*_TELEX_TONES, "") if mark != current])
    at = vowels[-1] + 1 if len(vowels) < 3 else vowels[1] + 1
    return unicodedata.normalize("NFC", plain[:at] + tone + plain[at:])


def swapped(word: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped ('tuc' -> 'tcu')."""
    at = rng.randrange(len(word) - 1)
    return word[:at] + word[at + 1] + word[at] + word[at + 2:]


def dropped(word: str, rng: random.Random) -> str:
    """One letter left out, never the first ('chinh' -> 'chnh')."""
    at = rng.randrange(1, len(word))
    return word[:at] + word[at + 1:]


def short_name(unit_name: str) -> str:
    """'Xã Hương Toàn' -> 'Hương Toàn', as people name a unit."""
    for kind in UNIT_KINDS:
        if unit_name.startswith(kind):
            return unit_name[len(kind):]
    return unit_name


class CitizenQueries:
    """Pools of queries of each kind, every query different from every other of any pool."""

    def __init__(self, unit_names: Sequence[str], seed: int):
        self._rng = random.Random(seed)
        self._units = list(unit_names)
        self._sentences = [[match.group() for match in _WORD.finditer(text)] for text in sentences()]
        # Per topic, the words no other topic, everyday paragraph or unit name has.
        topic_words = [self._words_of(topic) for topic in TOPICS]
        shared = self._common_words(self._units)
        self._own_words = [sorted(words - shared - set().union(*(other for other in topic_words if other is not words)))
                           for words in topic_words]
        assert all(self._own_words), "every topic needs words of its own"
        self._given: set[str] = set()
        self.kinds: dict[str, Callable[[], str]] = {
            "exact words": self._exact, "unaccented": lambda: fold(self._exact()), "phrase": self._phrase,
            "abbreviation mix": self._abbreviation_mix, "misspelt or telex": self._misspelt,
            "long citizen question": self._long_question, "relaxed (no item has all)": self._relaxed,
            "unit-scoped": self._unit_scoped, "pasted paragraph ~2,000 chars": self._paragraph,
            "300 one-letter words": self._one_letter_words,
        }

    def pool(self, kind: str, count: int) -> list[str]:
        """`count` new queries of `kind`."""
        found, tries = [], 0
        while len(found) < count:
            query = self.kinds[kind]()
            tries += 1
            if query not in self._given:
                self._given.add(query)
                found.append(query)
            elif tries > 100 * count:
                raise RuntimeError(f"cannot make {count} different queries of kind {kind!r}")
        return found

    def mixed(self, count: int) -> list[tuple[str, str]]:
        """`count` new queries, the kinds in turn: (kind, query)."""
        kinds = list(self.kinds)
        return [(kind, self.pool(kind, 1)[0]) for kind in (kinds[number % len(kinds)] for number in range(count))]

    def _window(self, low: int, high: int, sentence: list[str] | None = None) -> list[str]:
        sentence = sentence or self._rng.choice([each for each in self._sentences if len(each) >= high])
        length = self._rng.randint(low, high)
        start = self._rng.randrange(len(sentence) - length + 1)
        return sentence[start:start + length]

    def _exact(self) -> str:
        """Two pairs of neighbouring words of one sentence, in its order ('căn cước cấp lại')."""
        window = self._window(4, 8)
        second = self._rng.randrange(2, len(window) - 1)
        first = self._rng.randrange(0, second - 1)
        return " ".join(window[first:first + 2] + window[second:second + 2])

    def _phrase(self) -> str:
        return " ".join(self._window(3, 6))

    def _abbreviation_mix(self) -> str:
        """An abbreviation in place of the words it stands for, among the words around them."""
        texts = sentences()
        while True:
            short, words = self._rng.choice(ABBREVIATIONS)
            holding = [text for text in texts if words.lower() in text.lower()]
            if holding:
                break
        text = self._rng.choice(holding)
        start = text.lower().index(words.lower())
        before = text[:start].split()[-self._rng.randint(0, 4):] if start else []
        after = text[start + len(words):].split()[:self._rng.randint(1, 4)]
        if self._rng.random() < 0.3:
            before, after = [fold(word) for word in before], [fold(word) for word in after]
        if self._rng.random() < 0.3:
            after.append(short_name(self._rng.choice(self._units)))
        return " ".join([*before, short, *after]).replace(",", "").replace(".", "").strip()

    def _misspelt(self) -> str:
        """A few words of a sentence typed in telex, or with letters swapped, missing or a wrong tone."""
        window = self._window(2, 4)
        how = self._rng.choice(("telex", "swapped", "dropped", "tone"))
        if how == "telex":
            return " ".join(telex(word) for word in window)
        if how == "tone":
            at = self._rng.randrange(len(window))
            return " ".join(wrong_tone(word, self._rng) if index == at else word for index, word in enumerate(window))
        folded = [fold(word) for word in window]
        long_enough = [index for index, word in enumerate(folded) if len(word) >= (4 if how == "dropped" else 3)]
        if not long_enough:
            return " ".join(telex(word) for word in window)
        at = self._rng.choice(long_enough)
        change = swapped if how == "swapped" else dropped
        return " ".join(change(word, self._rng) if index == at else word for index, word in enumerate(folded))

    def _long_question(self) -> str:
        """15 to 30 words: a greeting, what it is about, where, what is wanted, thanks."""
        while True:
            parts = [self._rng.choice(QUESTION_OPENINGS), " ".join(self._window(3, 7)),
                     f"ở {short_name(self._rng.choice(self._units))}",
                     *self._rng.sample(QUESTION_MIDDLES, self._rng.randint(1, 3)), self._rng.choice(QUESTION_ENDINGS)]
            question = " ".join(parts)
            if 15 <= len(question.split()) <= 30:
                return question

    def _relaxed(self) -> str:
        """Words of one topic's own paragraphs and a word only another topic has: no article has all."""
        first, second = self._rng.sample(range(len(TOPICS)), 2)
        while True:  # at least one word of the window only the first topic has
            window = self._window(2, 3, _WORD.findall(self._rng.choice(TOPICS[first].paragraphs)))
            if any(fold(word) in self._own_words[first] for word in window):
                break
        stranger = self._rng.choice(self._own_words[second])
        return " ".join([*window, stranger] if self._rng.random() < 0.5 else [stranger, *window])

    def _unit_scoped(self) -> str:
        """A topic's words and a unit's name, sometimes with its kind ('khai sinh xã Hương Toàn')."""
        unit = self._rng.choice(self._units)
        name = unit if self._rng.random() < 0.3 else short_name(unit)
        if self._rng.random() < 0.3:
            name = fold(name)
        return f"{' '.join(self._window(2, 3))} {name}"

    def _paragraph(self) -> str:
        """Sentences of the corpus pasted together, cut at a word to at most 2,000 characters."""
        text = ""
        while len(text) < MAX_PARAGRAPH_CHARS:
            sentence = self._rng.choice(sentences())
            text += (" " if text else "") + sentence
        return text[:MAX_PARAGRAPH_CHARS + 1].rsplit(" ", 1)[0]

    def _one_letter_words(self) -> str:
        return " ".join(self._rng.choice(LETTERS) for _ in range(300))

    @staticmethod
    def _words_of(topic: Topic) -> set[str]:
        return {fold(word) for text in (topic.title, *topic.paragraphs) for word in _WORD.findall(text)}

    @staticmethod
    def _common_words(unit_names: Sequence[str]) -> set[str]:
        texts = (*COMMON_PARAGRAPHS, *PLACES, *unit_names, EVERY_ARTICLE, "Quyết định QĐ UBND tỉnh")
        return {fold(word) for text in texts for word in _WORD.findall(text)}
