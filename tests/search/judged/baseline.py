"""The plain baseline the platform must beat: folded BM25 over title, summary and body, nothing else.

A separate in-memory tantivy index of the judged corpus, built in this process, with a simple
tokenizer, lowercase and ascii_fold ('đ' is replaced by 'd' first, so the fold never depends on the
filter's table). Each query's folded words are OR-ed across the three fields with equal weight; no
phrases, no abbreviations, no typo tolerance, no unit names, no recency, no collapse of copies.
This is what any search box gives for free; a feature of the platform earns its keep only where
it ranks better than this.
"""
from functools import cached_property

import tantivy

FIELDS = ("title", "summary", "body")
ANALYZER = "folded"


def fold_d(text: str) -> str:
    return text.replace("đ", "d").replace("Đ", "D")


def searchable_text(item: dict) -> tuple[str, str, str]:
    """(title, summary, body) of a corpus item, as a reader sees each kind of item."""
    kind = item["type"]
    if kind == "article":
        return item["title"], item["summary"], item["body"]
    if kind == "document":
        return (f"{item['doc_type']} {item['number']}", item["excerpt"],
                f"{item['issuing_body']}. {item['field']}. {item['signer']}")
    if kind == "question":
        return item["title"], item["question"], item["answer"]
    if kind == "schedule":
        entries = ". ".join(f"{title}, {leader}" for _, title, leader in item["entries"])
        return f"Lịch công tác tuần {item['week']}", "", entries
    if kind == "page":
        return item["title"], "", item["body"]
    raise ValueError(f"{item['id']}: unknown type {kind!r}")


class FoldedBM25:
    """Top ids for a query over the judged corpus, by plain folded BM25."""

    def __init__(self, corpus: dict):
        self.corpus = corpus

    @cached_property
    def analyzer(self) -> tantivy.TextAnalyzer:
        return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())

    @cached_property
    def index(self) -> tantivy.Index:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("unit", tokenizer_name="raw")
        for field in FIELDS:
            builder.add_text_field(field, tokenizer_name=ANALYZER)
        index = tantivy.Index(builder.build())  # in memory
        index.register_tokenizer(ANALYZER, self.analyzer)
        writer = index.writer(heap_size=50_000_000, num_threads=1)
        for item in self.corpus["items"]:
            texts = dict(zip(FIELDS, map(fold_d, searchable_text(item))))
            writer.add_document(tantivy.Document(id=item["id"], unit=item["unit"], **texts))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        return index

    def search(self, query: str, filters: dict | None = None, limit: int = 10) -> list[str]:
        schema = self.index.schema
        words = dict.fromkeys(self.analyzer.analyze(fold_d(query)))
        any_word = [(tantivy.Occur.Should, tantivy.Query.term_query(schema, field, word))
                    for word in words for field in FIELDS]
        if not any_word:
            return []
        clauses = [(tantivy.Occur.Must, tantivy.Query.boolean_query(any_word))]
        units = (filters or {}).get("unit")
        if units:
            units = [units] if isinstance(units, str) else units
            clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "unit", unit)) for unit in units])))
        searcher = self.index.searcher()
        found = searcher.search(tantivy.Query.boolean_query(clauses), limit).hits
        return [searcher.doc(address)["id"][0] for _, address in found]
