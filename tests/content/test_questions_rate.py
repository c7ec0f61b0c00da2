"""How often one sender may ask a unit: counted in MongoDB, so every process sees the same count."""
import dataclasses
from datetime import timedelta

import pytest

from services.common.errors import InvalidInput, TooManyRequests
from services.content.database import now
from tests.content.conftest import plan_stages
from tests.content.test_questions import QUESTION
from tests.drive import acting, call

LIMIT = 2
ADDRESS = "203.113.131.7"


@pytest.fixture
def nameko_config(settings):
    return dataclasses.replace(settings, QUESTION_RATE_LIMIT=LIMIT).as_nameko_config()


def ask(content, unit="phu-mau", client=ADDRESS, **fields):
    return call(content, "ask_question", unit, {**QUESTION, **fields}, client=client)


def test_one_address_may_ask_a_unit_the_limit_an_hour_and_no_more(tree):
    for _ in range(LIMIT):
        ask(tree)
    with pytest.raises(TooManyRequests) as refused:
        ask(tree)
    assert 0 < refused.value.retry_after <= 3600
    # Someone else, another unit, and staff entering a question by RPC are not held back.
    ask(tree, client="2001:ee0:4141:1::7")
    ask(tree, unit="phu-da")
    call(tree, "ask_question", "phu-mau", QUESTION)
    # A refused question was not counted, and was not saved.
    with pytest.raises(TooManyRequests):
        ask(tree)
    assert call(tree, "question_queue", acting("admin"), "phu-mau")["total"] == LIMIT + 2


def test_questions_older_than_an_hour_no_longer_count(tree, mongo_client, settings):
    for _ in range(LIMIT):
        ask(tree)
    senders = mongo_client[settings.CONTENT_DB]["question_senders"]
    senders.update_many({}, {"$set": {"at": now() - timedelta(minutes=61)}})
    ask(tree)
    assert senders.count_documents({}) == 1  # the old records were dropped, the new one counted


def test_invalid_questions_and_addresses_are_refused_without_counting(tree):
    for _ in range(LIMIT + 1):
        with pytest.raises(InvalidInput) as error:
            ask(tree, asker_email="khong-phai-thu")
        assert "asker_email" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        ask(tree, client="x" * 101)
    assert "client" in error.value.fields
    ask(tree)  # none of the refused ones counted


def test_the_address_is_kept_only_as_a_keyed_hash_found_by_an_index(tree, mongo_client, settings):
    asked = ask(tree)
    database = mongo_client[settings.CONTENT_DB]
    for name in database.list_collection_names():
        for doc in database[name].find():
            assert ADDRESS not in str(doc), name
    record = database["question_senders"].find_one()
    assert record["unit"] == "phu-mau" and len(record["sender"]) == 32
    assert "client" not in database["questions"].find_one({"_id": asked["id"]})

    query = {"unit": "phu-mau", "sender": record["sender"], "at": {"$gte": now() - timedelta(hours=1)}}
    plan = database["question_senders"].find(query).explain()["queryPlanner"]["winningPlan"]
    assert "IXSCAN" in {stage["stage"] for stage in plan_stages(plan)}
