"""Which words of a citizen's question need not match (services/search/fillers.txt): questions
as citizens type them, with and without accents, in capitals, with 'ạ', 'ko', 'k' and
punctuation; and the words that only look like fillers once folded stay words."""
import pytest

from services.search.fillers import FILLERS_FILE, Fillers
from services.search.text import words

FILLERS = Fillers.load()


def kept(query: str) -> list[str]:
    """The query's words that still have to match."""
    typed = words(query)
    fillers = FILLERS.positions(typed)
    return [word.text for position, word in enumerate(typed) if position not in fillers]


@pytest.mark.parametrize("query, words_kept", [
    ("Cho tôi hỏi làm thế nào để cấp lại CCCD bị mất ạ?", "cấp lại CCCD bị mất"),
    ("cho toi hoi lam the nao de cap lai cccd bi mat", "cap lai cccd bi mat"),
    ("Đăng ký kết hôn ở đâu vậy ạ?", "Đăng ký kết hôn"),
    ("dang ky ket hon o dau", "dang ky ket hon"),
    ("XIN HỎI THỦ TỤC CHUYỂN HỘ KHẨU NHƯ THẾ NÀO", "THỦ TỤC CHUYỂN HỘ KHẨU"),
    ("Lệ phí làm hộ chiếu là bao nhiêu?", "Lệ phí làm hộ chiếu"),
    ("le phi lam ho chieu bao nhieu tien", "le phi lam ho chieu tien"),
    ("Mã số thuế cá nhân là gì", "Mã số thuế cá nhân"),
    ("Hồ sơ xin cấp giấy phép xây dựng gồm những gì?", "Hồ sơ xin cấp giấy phép xây dựng gồm"),
    ("Mất CMND thì làm lại ở đâu, mất bao lâu?", "Mất CMND làm lại"),
    ("Dịch vụ công trực tuyến mức độ 4 là gì vậy?", "Dịch vụ công trực tuyến mức độ 4"),
    ("Tôi muốn biết mức đóng BHYT hộ gia đình năm 2026", "mức đóng BHYT hộ gia đình năm 2026"),
    ("mức đóng bhxh tự nguyện như nào", "mức đóng bhxh tự nguyện"),
    ("thu tuc dang ky tam tru ntn", "thu tuc dang ky tam tru"),
    ("Xin chào! Kính gửi UBND xã, chúng tôi muốn hỏi lịch tiếp công dân", "UBND xã lịch tiếp công dân"),
    ("Em muốn hỏi về chế độ thai sản", "về chế độ thai sản"),
    ("Giấy khai sinh bị mất thì xin cấp lại như thế nào nhỉ", "Giấy khai sinh bị mất xin cấp lại"),
    ("thủ tục ly hôn mất bao nhiêu tiền hả", "thủ tục ly hôn mất tiền"),
    ("Lịch tiếp dân của ĐBQH tháng này là khi nào", "Lịch tiếp dân của ĐBQH tháng này"),
    ("tại sao phải đổi GPLX sang thẻ PET", "phải đổi GPLX sang thẻ PET"),
    ("vì sao hồ sơ bị trả lại", "hồ sơ bị trả lại"),
    ("cap lai cccd mat bao lau", "cap lai cccd"),
    ("bao giờ nhận được tiền hỗ trợ bão lụt", "nhận được tiền hỗ trợ bão lụt"),
    ("Cảm ơn anh chị, làm ơn hướng dẫn giúp em với", "anh chị hướng dẫn"),
])
def test_question_words_and_politeness_need_not_match(query, words_kept):
    assert kept(query) == words_kept.split()


@pytest.mark.parametrize("query, words_kept", [
    # 'có … không': the closing word and the 'có' that opens the question.
    ("Tôi có được nhận trợ cấp thất nghiệp không?", "được nhận trợ cấp thất nghiệp"),
    ("Con tôi có được miễn học phí ko", "Con được miễn học phí"),
    ("Đất trồng lúa có chuyển sang đất ở được không ạ?", "Đất trồng lúa chuyển sang đất ở"),
    ("cảm ơn, cho em hỏi đất trồng lúa có được chuyển sang đất ở không ạ",
     "đất trồng lúa được chuyển sang đất ở"),
    ("Có thể đăng ký thường trú online không?", "đăng ký thường trú online"),
    ("Hồ sơ đã được duyệt chưa ạ", "Hồ sơ được duyệt"),
    ("hộ nghèo có được vay vốn ưu đãi k", "hộ nghèo được vay vốn ưu đãi"),
    ("Có phải nộp bản sao CCCD không?", "nộp bản sao CCCD"),
    # Without accents only the unmistakable closers count: 'co' could be 'cô', 'cỏ', 'cổ'.
    ("co the dang ky thuong tru online khong", "co the dang ky thuong tru online"),
    ("nop thue truoc ba o dau k", "nop thue truoc ba"),
    ("doi GPLX online dc ko", "doi GPLX online dc"),
    ("duoc cap lai giay phep khong", "duoc cap lai giay phep"),
])
def test_yes_no_questions_lose_their_frame(query, words_kept):
    assert kept(query) == words_kept.split()


@pytest.mark.parametrize("query, words_kept", [
    # Folded, these are real words: 'thi' an exam, 'ma' in 'mã số', 'vay' a loan, 'la' 'là' or
    # 'lá', 'toi' 'tôi' or 'tối': typed without accents they stay.
    ("thi tot nghiep thpt la khi nao", "thi tot nghiep thpt la"),
    ("ma so thue ca nhan la gi", "ma so thue ca nhan"),
    ("vay von ho ngheo", "vay von ho ngheo"),
    ("lich tiep dan toi thu sau", "lich tiep dan toi thu sau"),
    # With accents, the look-alike is a different word.
    ("Thi tốt nghiệp THPT thì khi nào?", "Thi tốt nghiệp THPT"),
    ("Vậy thủ tục vay vốn hộ nghèo thế nào?", "thủ tục vay vốn hộ nghèo"),
    ("xử lý hóa đơn khống", "xử lý hóa đơn khống"),
    ("đề thi vào lớp 10", "đề thi vào lớp 10"),
    # 'em' alone is no filler: 'trẻ em'; nor is 'ở' without 'đâu', nor 'a' in 'khu A'.
    ("Chính sách cho trẻ em mồ côi", "Chính sách cho trẻ em mồ côi"),
    ("Nhà ở xã hội khu A", "Nhà ở xã hội khu A"),
    # A filler typed without accents inside an accented query is still one.
    ("cấp lại CCCD lam the nao", "cấp lại CCCD"),
])
def test_words_that_only_look_like_fillers_stay(query, words_kept):
    assert kept(query) == words_kept.split()


@pytest.mark.parametrize("query", ["là gì", "Ở đâu?", "cho tôi hỏi", "có không", "như thế nào ạ", "k"])
def test_a_query_of_nothing_but_fillers_means_its_words(query):
    assert FILLERS.positions(words(query)) == set()


def test_positions_take_words_as_typed_or_word_objects():
    typed = ["Cho", "tôi", "hỏi", "lịch", "tiếp", "dân", "ĐBQH"]
    assert FILLERS.positions(typed) == FILLERS.positions(words(" ".join(typed))) == {0, 1, 2}
    assert FILLERS.positions([]) == set()


def test_single_word_fillers_are_only_fillers_with_their_accents():
    # The rule of fillers.txt: a lone word folded is too often a real word ('thi', 'ma', 'vay'),
    # unless it has no vowel ('ntn' for 'như thế nào'). Closing words ('... khong', '... ko') are
    # the exception: only at the end of a question.
    lines = (line.split("#", 1)[0] for line in FILLERS_FILE.read_text(encoding="utf-8").splitlines())
    for line in lines:
        phrase, marked, _ = line.partition("|")
        if marked and "..." not in phrase:
            assert len(phrase.split()) > 1 or not set(phrase) & set("aeiouy"), line


@pytest.mark.parametrize("text, problem", [
    ("làm thế nào | unaccented", "line 1: unknown marker"),
    ("ở đâu\ncó ...", "line 2: 'có ...': '...' must be followed"),
    ("làm thế nào?", "must be words and spaces only"),
    ("# only a comment\n  \n ?? ", "line 3: no words"),
    ("ở đâu\nỞ  đâu", "line 2: 'Ở  đâu' repeats line 1"),
])
def test_a_malformed_fillers_file_is_refused_naming_the_line(text, problem):
    with pytest.raises(ValueError, match=problem):
        Fillers.parse(text)
