"""Accent look-alikes: words that differ only in their marks ('đê' a dyke, 'đề' a topic) must not
be confused when a citizen types the accents, and must both be found when they do not. Each
pair's two items are indexed together with every other pair's, on each engine; an accented
query ranks the item with its exact accents first, the same query unaccented finds both."""
from services.common.events import ArticlePublished, utcnow
from services.search.text import fold, words
from tests.search.driver import article

# (query, item title) for each side of a pair; realistic titles of local government news.
PAIRS = [
    (("đê", "Gia cố đê biển Thuận An"), ("đề", "Phê duyệt đề án sắp xếp trường học")),
    (("sổ đỏ", "Làm sổ đỏ lần đầu cho người dân"), ("sơ đồ", "Sơ đồ bộ máy Văn phòng")),
    (("bão", "Ứng phó bão số 5"), ("bảo", "Bảo đảm an toàn trường học")),
    (("lụt", "Khắc phục hậu quả lụt"), ("lứt", "Giống lúa gạo lứt Hương Trà")),
    (("đào", "Mùa hoa đào ngày Tết"), ("đạo", "Chỉ đạo điều hành tháng 12")),
    (("bệnh", "Phòng bệnh sốt xuất huyết"), ("bến", "Bến xe phía Nam")),
    (("thuế", "Kê khai thuế môn bài"), ("thuê", "Cho thuê nhà ở xã hội")),
    (("sư", "Giáo sư tiêu biểu năm 2026"), ("sử", "Di tích lịch sử quốc gia")),
    (("cấp", "Cấp phép khai thác khoáng sản"), ("cáp", "Ngầm hóa cáp viễn thông")),
    (("giấy", "Giấy phép lái xe hạng B"), ("giày", "Hội chợ da giày")),
    (("hộ", "Rà soát hộ nghèo năm 2026"), ("họ", "Thay đổi họ tên cho con")),
    (("đất", "Giá đất ở nông thôn"), ("đạt", "Đạt chuẩn nông thôn mới")),
    (("phạt", "Xử phạt vi phạm giao thông"), ("phát", "Phát triển giao thông nông thôn")),
    (("cống", "Nạo vét cống thoát nước"), ("công", "Công trình thoát nước")),
    (("thi", "Thi tuyển viên chức giáo dục"), ("thị", "Thị xã Hương Thủy")),
    (("tố", "Giải quyết tố cáo"), ("tổ", "Tổ dân phố số 3")),
    (("cuộc", "Cuộc họp giao ban"), ("cước", "Căn cước gắn chip")),
]
ITEMS = {f"pair{number}-{side}": title for number, pair in enumerate(PAIRS)
         for side, (_, title) in zip("ab", pair, strict=True)}


def folded_words(text: str) -> list[str]:
    return [fold(word.text) for word in words(text)]


def holding(query: str) -> set[str]:
    """The items whose titles hold every word of the query, folded: what an unaccented query
    must find."""
    return {key for key, title in ITEMS.items() if set(folded_words(query)) <= set(folded_words(title))}


def test_the_corpus_keeps_each_pair_to_itself():
    # Otherwise a ranking below would be decided by another pair's item. 'bệnh' and 'bến' fold
    # apart ('benh', 'ben'): each unaccented finds its own item only.
    for number, pair in enumerate(PAIRS):
        together = fold(pair[0][0]) == fold(pair[1][0])
        for side, (query, _) in zip("ab", pair, strict=True):
            expected = {f"pair{number}-a", f"pair{number}-b"} if together else {f"pair{number}-{side}"}
            assert holding(fold(query)) == expected, query


def test_an_accented_query_ranks_its_exact_accents_first_and_unaccented_finds_both(search_service):
    search_service.send_together([
        ArticlePublished(document_id=key, version=1, occurred_at=utcnow(), article=article(key, title))
        for key, title in ITEMS.items()])

    failures = []
    for number, pair in enumerate(PAIRS):
        for side, (query, _) in zip("ab", pair, strict=True):
            found = search_service.ids(query)
            if found[:1] != [f"pair{number}-{side}"]:
                failures.append(f"{query!r} ranked {found}")
            unaccented = fold(query)
            found = search_service.ids(unaccented)
            if set(found) != holding(unaccented):
                failures.append(f"{unaccented!r} found {found}, not {sorted(holding(unaccented))}")
    assert not failures, "\n".join(failures)
