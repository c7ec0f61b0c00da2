"""Disclosure sections ("công khai"): the sections read from required_sections.toml, legal
documents filed under one of them, and each section's list by year of issue."""
from datetime import datetime

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from deploy import demo_data, demo_disclosures
from deploy.demo_site import Site
from services.common import events
from services.common.errors import InvalidInput, NotFound
from services.common.vietnam_time import LOCAL_TIME
from services.content import disclosures
from services.content.database import local, now
from tests.content.conftest import ADMIN, arrived, plan_stages
from tests.content.test_documents import DECISION, draft, publish, upload_pdf
from tests.drive import acting, call

BUDGET_2025 = {"number": "45/2025/QĐ-UBND", "type": "Quyết định", "issued_on": "2025-12-20",
               "excerpt": "Công bố công khai dự toán ngân sách xã Phú Mậu năm 2026", "section": "ngan-sach"}
SETTLEMENT_2025 = {"number": "18/2025/QĐ-UBND", "type": "Quyết định", "issued_on": "2025-06-30",
                   "excerpt": "Công bố công khai quyết toán ngân sách xã Phú Mậu năm 2024", "section": "ngan-sach"}
BUDGET_2026 = {"number": "07/2026/QĐ-UBND", "type": "Quyết định", "issued_on": "2026-01-10",
               "excerpt": "Công bố công khai dự toán ngân sách bổ sung năm 2026", "section": "ngan-sach"}


# The sections as the data file states them

def test_the_sections_come_from_the_data_file_in_its_order():
    assert disclosures.KEYS[:3] == ("chi-dao-dieu-hanh", "chien-luoc-ke-hoach", "ngan-sach")
    budget = disclosures.get("ngan-sach")
    assert budget.title == "Dự toán, quyết toán ngân sách" and budget.title_en == "Budget estimates and settlements"
    assert "Luật Tiếp cận thông tin 2016" in budget.source and budget.levels == ("tinh", "so-nganh", "huyen", "xa")
    assert disclosures.get("khong-co") is None and disclosures.get(None) is None
    with pytest.raises(AttributeError):
        budget.key = "other"  # frozen


def test_each_level_owes_the_sections_that_name_it():
    commune = [section.key for section in disclosures.for_level("xa")]
    assert "thong-ke" not in commune and "khoa-hoc-cong-nghe" not in commune and "ngan-sach" in commune
    assert [section.key for section in disclosures.for_level("tinh")] == list(disclosures.KEYS)
    assert disclosures.for_level("khong-co") == ()


@pytest.mark.parametrize("entries, complaint", [
    ('key = "ngan-sach"\n', "has no 'title'"),
    ('key = "Ngân sách"\ntitle = "A"\ntitle_en = "A"\nlevels = ["xa"]\nsource = "S"\n', "not slug-shaped"),
    ('key = "a"\ntitle = "A"\ntitle_en = "A"\nlevels = []\nsource = "S"\n', "names no levels"),
])
def test_a_slip_in_the_data_file_is_refused_by_name(tmp_path, entries, complaint):
    path = tmp_path / "sections.toml"
    path.write_text("[[disclosure]]\n" + entries, encoding="utf-8")
    with pytest.raises(ValueError, match=complaint):
        disclosures.load(path)


def test_a_key_given_twice_is_refused(tmp_path):
    entry = '[[disclosure]]\nkey = "a"\ntitle = "A"\ntitle_en = "A"\nlevels = ["xa"]\nsource = "S"\n'
    path = tmp_path / "sections.toml"
    path.write_text(entry * 2, encoding="utf-8")
    with pytest.raises(ValueError, match="appears twice"):
        disclosures.load(path)


# Documents filed under a section

def test_a_document_keeps_its_section_in_its_answer_event_and_revisions(board, stores, listener):
    pdf = upload_pdf(stores)
    document = publish(board, draft(board, **BUDGET_2025, file=pdf["id"]))
    assert document["section"] == "ngan-sach"
    assert call(board, "get_document", "phu-mau", document["id"])["section"] == "ngan-sach"
    snapshot = arrived(events.DocumentPublished)[0].document
    assert (snapshot.section, snapshot.section_title) == ("ngan-sach", "Dự toán, quyết toán ngân sách")

    moved = call(board, "update_document", acting("tong-bien-tap"), document["id"],
                 {**DECISION, **BUDGET_2025, "section": "chien-luoc-ke-hoach", "file": pdf["id"],
                  "version": document["version"]})
    assert moved["section"] == "chien-luoc-ke-hoach"
    diff = call(board, "document_diff", acting("bien-tap"), document["id"], document["version"], moved["version"])
    assert list(diff["fields"]) == ["section"]
    ordinary = draft(board, number="99/2026/QĐ-UBND")
    assert ordinary["section"] is None
    assert call(board, "list_disclosures", "phu-mau", "ngan-sach")["total"] == 0


def test_events_from_before_sections_stay_valid():
    snapshot = {"id": "d1", "unit": "phu-mau", "unit_name": "Xã Phú Mậu", "number": "1/UBND", "type": "Công văn",
                "issuing_body": "UBND", "issued_on": "2026-01-02", "excerpt": "Về việc", "path": "/phu-mau/van-ban/d1",
                "published_at": "2026-01-02T08:00:00+07:00", "updated_at": "2026-01-02T08:00:00+07:00"}
    assert events.DocumentSnapshot.model_validate(snapshot).section is None


@pytest.mark.parametrize("section, complaint", [
    ("khong-co", "must be one of chi-dao-dieu-hanh, chien-luoc-ke-hoach, ngan-sach"),
    ("khoa-hoc-cong-nghe", "not a section of a 'xa' unit: must be one of chi-dao-dieu-hanh"),  # the province's
])
def test_an_unknown_or_unowed_section_is_refused_and_nothing_stored(board, mongo_client, settings, section,
                                                                    complaint):
    with pytest.raises(InvalidInput) as error:
        draft(board, section=section)
    assert list(error.value.fields) == ["section"] and complaint in error.value.fields["section"]
    assert mongo_client[settings.CONTENT_DB]["documents"].count_documents({}) == 0


def test_an_empty_section_is_an_ordinary_document(board):
    assert draft(board, section="")["section"] is None


# A section's list and the index of sections

@pytest.fixture
def budget(board):
    """Phú Mậu's budget documents of two years, one still a draft, and one of Phú Đa next door."""
    for fields in (BUDGET_2025, SETTLEMENT_2025, BUDGET_2026):
        publish(board, draft(board, **fields))
    draft(board, **{**BUDGET_2026, "number": "08/2026/QĐ-UBND"})
    publish(board, draft(board, "bien-tap-phu-da", unit="phu-da", **BUDGET_2025), "bien-tap-phu-da")
    publish(board, draft(board, **{**BUDGET_2026, "number": "09/2026/KH-UBND", "section": "chien-luoc-ke-hoach"}))
    return board


def numbers(listing):
    return [document["number"] for document in listing["documents"]]


def test_a_section_lists_its_published_documents_newest_first_by_year(budget):
    listing = call(budget, "list_disclosures", "phu-mau", "ngan-sach")
    assert numbers(listing) == ["07/2026/QĐ-UBND", "45/2025/QĐ-UBND", "18/2025/QĐ-UBND"]
    assert listing["total"] == 3 and listing["years"] == [2026, 2025]
    assert listing["section"]["title"] == "Dự toán, quyết toán ngân sách"
    assert listing["section"]["path"] == "/phu-mau/cong-khai/ngan-sach"
    of_2025 = call(budget, "list_disclosures", "phu-mau", "ngan-sach", year=2025)
    assert numbers(of_2025) == ["45/2025/QĐ-UBND", "18/2025/QĐ-UBND"] and of_2025["total"] == 2
    assert of_2025["years"] == [2026, 2025]  # the filter still offers every year
    page = call(budget, "list_disclosures", "phu-mau", "ngan-sach", skip=1, limit=1)
    assert numbers(page) == ["45/2025/QĐ-UBND"] and page["total"] == 3
    empty = call(budget, "list_disclosures", "phu-mau", "ngan-sach", year=2019)
    assert empty["documents"] == [] and empty["total"] == 0


def test_the_sections_a_unit_owes_with_counts_and_newest_dates(budget):
    sections = {section["key"]: section for section in call(budget, "disclosure_sections", "phu-mau")}
    assert list(sections) == [section.key for section in disclosures.for_level("xa")]
    assert (sections["ngan-sach"]["count"], sections["ngan-sach"]["newest_issued_on"]) == (3, "2026-01-10")
    assert (sections["chien-luoc-ke-hoach"]["count"], sections["dau-tu-mua-sam"]["count"]) == (1, 0)
    assert sections["dau-tu-mua-sam"]["newest_issued_on"] is None
    assert sections["ngan-sach"]["source"] == disclosures.get("ngan-sach").source
    province = [section["key"] for section in call(budget, "disclosure_sections", "thua-thien-hue")]
    assert "khoa-hoc-cong-nghe" in province
    with pytest.raises(NotFound):
        call(budget, "disclosure_sections", "khong-co")


@pytest.mark.parametrize("unit, key", [("phu-mau", "khong-co"), ("phu-mau", "khoa-hoc-cong-nghe"),
                                       ("khong-co", "ngan-sach")])
def test_an_unknown_or_unowed_section_has_no_list(board, unit, key):
    with pytest.raises(NotFound):
        call(board, "list_disclosures", unit, key)


def test_bad_years_and_pages_are_refused_by_name(board):
    next_year = local(now()).year + 1
    for year in ("2025", 1800, next_year, 2.5, True):
        with pytest.raises(InvalidInput) as error:
            call(board, "list_disclosures", "phu-mau", "ngan-sach", year=year)
        assert list(error.value.fields) == ["year"], year
    with pytest.raises(InvalidInput) as error:
        call(board, "list_disclosures", "phu-mau", "ngan-sach", skip=-1, limit=500)
    assert set(error.value.fields) == {"skip", "limit"}


def test_a_sections_list_walks_its_index(budget, mongo_client, settings):
    documents = mongo_client[settings.CONTENT_DB]["documents"]
    query = {"unit": "phu-mau", "section": "ngan-sach", "status": "published",
             "issue_order": {"$gte": "2025-", "$lt": "2026-"}}
    explained = documents.find(query).sort([("issue_order", -1)]).explain()
    stages = plan_stages(explained["queryPlanner"]["winningPlan"])
    assert "COLLSCAN" not in [stage["stage"] for stage in stages]
    scan = next(stage for stage in stages if stage["stage"] == "IXSCAN")
    assert list(scan["keyPattern"]) == ["unit", "section", "status", "issue_order"]


# The demo's disclosures (deploy/demo_disclosures.py)

DEMO_NOW = datetime(2026, 11, 20, 9, 0, tzinfo=LOCAL_TIME)


def test_the_demo_files_most_units_documents_under_their_sections_once(content, nameko_config):
    every = demo_data.units()
    left_out = [unit for unit in every if demo_disclosures.left_out(unit["slug"])]
    assert 0.1 < len(left_out) / len(every) < 0.25   # about one unit in six shows a true gap
    by_slug = {unit["slug"]: unit for unit in every}
    commune = next(unit for unit in every if unit["level"] == "xa" and unit not in left_out)
    department = next(unit for unit in every if unit["level"] == "so-nganh" and unit not in left_out)
    gap = next(unit for unit in left_out if unit["level"] == "xa")
    chosen = [by_slug["thua-thien-hue"], *{unit["parent"]: by_slug[unit["parent"]] for unit in (commune, gap)
                                         if unit["parent"] != "thua-thien-hue"}.values(), commune, department, gap]
    for level in demo_data.levels():
        call(content, "create_level", acting(ADMIN), level)
    for unit in chosen:
        call(content, "create_unit", acting(ADMIN), {key: unit[key] for key in ("slug", "name", "level", "parent")})

    with ClusterRpcProxy(nameko_config) as services:
        made = {unit["slug"]: demo_disclosures.load_unit(services.content, lambda: acting(ADMIN), unit, DEMO_NOW)
                for unit in (commune, department, gap)}
        assert made[gap["slug"]] == 0
        for unit in (commune, department):
            planned = demo_disclosures.plan(Site.of(unit), DEMO_NOW.date())
            owed = {section.key for section in disclosures.for_level(unit["level"])}
            expected = [item for item in planned if item.section in owed]
            assert made[unit["slug"]] == len(expected) > 10
            sections = call(content, "disclosure_sections", unit["slug"])
            assert sum(section["count"] for section in sections) == len(expected)
            assert sum(1 for section in sections if section["count"]) >= len(sections) - 1   # most sections
            budget = call(content, "list_disclosures", unit["slug"], "ngan-sach")
            assert 2 <= len(budget["years"]) and set(budget["years"]) <= {2024, 2025, 2026}   # the last three years
            newest = budget["documents"][0]
            assert newest["file"]["content_type"] == "application/pdf" and newest["file"]["size"] > 1000
            assert newest["issued_on"] <= DEMO_NOW.date().isoformat()
            assert all(item["section"] == "ngan-sach" for item in budget["documents"])
            # Each published when it was issued, not all on the load's day: it counts in its own month.
            published = [datetime.fromisoformat(item["published_at"]) for item in budget["documents"]]
            assert all(item["issued_on"] <= moment.astimezone(LOCAL_TIME).date().isoformat() and moment <= DEMO_NOW
                       for item, moment in zip(budget["documents"], published))
            assert min(published).year < DEMO_NOW.year
        assert not any(section["count"] for section in call(content, "disclosure_sections", gap["slug"]))
        # A second run creates nothing.
        assert [demo_disclosures.load_unit(services.content, lambda: acting(ADMIN), unit, DEMO_NOW)
                for unit in (commune, department, gap)] == [0, 0, 0]
