"""A word counts wherever an item has it, in title, summary, body or the unit's name: in the
total and in every facet, also of a long question's relaxed answer (the embedded engine selects
matches through one field holding them all, and scores them field by field). Run against each
engine (see engine_config)."""

# One item for each searchable field holding the word 'sáo', each of another unit.
HOLDERS = {
    "in-title": dict(title="Hội thi thổi sáo trúc", unit="a"),
    "in-summary": dict(title="Hội thi nhạc cụ dân tộc", summary="Có tiết mục sáo trúc", unit="b"),
    "in-body": dict(title="Liên hoan văn nghệ quần chúng", body="Tiết mục hòa tấu sáo trúc", unit="c"),
    "in-unit-name": dict(title="Liên hoan văn nghệ thôn", unit="d", unit_name="Xã Sáo Trúc"),
}


def publish_holders(search_service):
    search_service.publish("elsewhere", "Hội thi văn nghệ mừng xuân", unit="e")
    for document_id, fields in HOLDERS.items():
        search_service.publish(document_id, **fields)


def test_total_and_facets_count_the_word_in_every_field(search_service):
    publish_holders(search_service)

    result = search_service.search("sáo")

    assert sorted(hit["id"] for hit in result["hits"]) == sorted(HOLDERS)
    assert result["total"] == 4
    assert result["facets"]["unit"] == [{"value": unit, "count": 1, "name": None} for unit in "abcd"]
    assert result["facets"]["type"] == [{"value": "article", "count": 4}]


def test_a_long_questions_relaxed_answer_counts_its_facets_over_the_same_matches(search_service):
    publish_holders(search_service)
    # More than RELAXED_WORDS significant words, which no item has all of: counted before the
    # relaxed query answers. Its total comes from the scored search, its facets from selecting
    # the matches alone: both must see the same items.
    question = ("xin hỏi năm nay huyện có tổ chức hội thi sáo trúc cho thanh niên các thôn xóm đăng ký "
                "tham gia ở đâu và khi nào hạn chót nộp hồ sơ")

    result = search_service.search(question)

    assert (result["match"], result["complete_matches"]) == ("relaxed", 0)
    assert result["total"] == len(result["hits"]) >= 1
    assert sum(entry["count"] for entry in result["facets"]["unit"]) == result["total"]
