"""Demo content of each unit, as a migrated site's archive would come: this week's news, schedule,
document, answered question and required pages (`present`), then the past six whole months and
this month so far (`history`), all brought in through the content service's history import.

How much a unit did each month follows deploy/demo_activity.py: about round(activity × NEWS)
news (with or without a summary or a cover picture; one-line stubs where a unit barely keeps its
site), leadership schedules for a share of the weeks about activity × WEEKS, round(activity ×
DOCUMENTS) legal documents, citizens' questions (answered within days, late, or still waiting
where the site is stale). The words come from deploy/demo/history.toml, the people and places from
deploy/demo_site.py, the covers from deploy/demo_images.py and the documents' PDF files from
deploy/demo_pdf.py. Everything is drawn from the unit's slug and the month, at times in
Asia/Ho_Chi_Minh no later than now, so a second load draws the same items and imports nothing new.
"""
from __future__ import annotations

import base64
import random
import threading
import tomllib
from calendar import monthrange
from collections.abc import Callable
from contextlib import nullcontext
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path

from deploy import demo_images, demo_pdf
from deploy.demo_activity import HISTORY_MONTHS, activity, profile
from deploy.demo_site import Site, person
from services.common.vietnam_time import LOCAL_TIME
from services.common.vietnamese import without_marks

PHRASES = tomllib.loads((Path(__file__).parent / "demo" / "history.toml").read_text(encoding="utf-8"))
BATCH = 200  # the most items one import takes
IMPORTING = threading.Lock()
# A month's items at activity 1, and the share of weeks with a schedule: a third of a keen
# site's month (12 news, 3 documents, 3 questions, every week): each item is several writes
# (its revision, audit entry and event, and each event the consumers' own), and the MongoDB
# stand-in makes about 1,300 a second.
# Each document also brings a PDF file to make and upload, and each picture an upload whose
# renditions the service makes: half a keen site's documents, and pictures of five topics a unit.
NEWS, DOCUMENTS, QUESTIONS, WEEKS = 4, 0.5, 1, 1 / 3
PICTURED_TOPICS = 5
STUBS_BELOW = 0.35  # a unit less active than this writes one-line news half the time
# This week's three articles, at fixed addresses a second load knows them by: (slug, topic, title).
CURRENT_ARTICLES = (
    ("chuyen-doi-so-2026", "digital", "{unit} đẩy mạnh chuyển đổi số và chính quyền điện tử"),
    ("cai-cach-thu-tuc-hanh-chinh", "reform", "Hội nghị triển khai nhiệm vụ cải cách thủ tục hành chính tại {unit}"),
    ("ngay-chu-nhat-xanh", "environment", "{unit} ra quân vệ sinh môi trường, xây dựng nếp sống văn minh"),
)
CURRENT_TAG = "chính quyền điện tử"  # every current article carries it: the portal's running theme
TOPICS = {topic["key"]: topic for topic in PHRASES["topics"]}
# The signer's line in a document, by the first word of the signer's title (Decree 30/2020, Annex I).
SIGNS = {"Chủ tịch": "TM. Ủy ban nhân dân\nChủ tịch", "Phó Chủ tịch": "KT. Chủ tịch\nPhó Chủ tịch"}


def load_unit(content, acting, unit: dict, now: datetime | None = None, past: bool = True) -> dict:
    """Import the unit's present and (with `past`) its history, BATCH items a call, with their
    covers and files uploaded first: {"imported": n, "skipped": m, "articles": the current
    articles new to the unit (all of them on a unit without articles, else none)}. Its PDF files
    are made while other units' threads wait on their calls.

    Units are loaded side by side, but an import with the past runs alone, with nothing else
    writing: on the MongoDB stand-in, transactions that add documents under the same index key
    (every published article's status) conflict, and a long import retried over and over would
    run out of time. The present alone (a dozen items) is imported side by side: its short
    transaction loses a conflict seldom and is run again at once, and the week's pages are in
    a fifth sooner (71 → 55–64 s for the province)."""
    now = now or datetime.now(LOCAL_TIME)
    current = present(unit, now)
    items = _with_media(content, acting, unit, current + (history(unit, now) if past else []))
    # The current articles come in the unit's first batch, all of them or none.
    fresh = content.latest_articles(unit["slug"], 1)["total"] == 0
    counts = imported(content, acting, unit["slug"], items, alone=past)
    return {**counts, "articles": len(CURRENT_ARTICLES) if fresh and counts["imported"] else 0}


def imported(content, acting, unit: str, items: list[dict], alone: bool = True) -> dict:
    """`items` brought onto `unit` by the content service's history import, BATCH a call (each is
    one transaction), one import at a time (`alone`, see load_unit) or side by side (a week's
    dozen items, whose transaction is short enough to run again at once should it conflict):
    {"imported": n, "skipped": m}."""
    counts = {"imported": 0, "skipped": 0}
    for start in range(0, len(items), BATCH):
        with IMPORTING if alone else nullcontext():
            done = content.import_history(acting(), unit, {"items": items[start:start + BATCH]})
        counts = {key: counts[key] + done[key] for key in counts}
    return counts


def present(unit: dict, now: datetime) -> list[dict]:
    """This week's content: three articles at fixed addresses, the week's schedule, a document,
    an answered question, and the required pages (a stale site misses some). Drawn from the
    unit and the week (its times before the week's Monday), so a load later in the week adds
    nothing, and a load in a new week that week's schedule, document and question."""
    site = Site.of(unit)
    monday = now.astimezone(LOCAL_TIME).date()
    monday -= timedelta(days=monday.weekday())
    rng = random.Random(f"{site.slug}|{monday:%G-W%V}|present")
    items = []
    for days_before, (slug, key, title) in enumerate(CURRENT_ARTICLES, start=1):
        moment = _at(monday - timedelta(days=days_before), rng, 7, 17)
        words = words_for(site, rng, moment)
        body, lead = _body(rng, TOPICS[key], words)
        items.append({"kind": "article", "slug": slug, "title": _fill(title, words), "summary": lead,
                      "body_html": body, "category": TOPICS[key]["category"],
                      "tags": sorted({TOPICS[key]["tag"], CURRENT_TAG}), "published_at": moment.isoformat(),
                      "cover": {"media_id": key, "alt": demo_images.alt(key), "caption": site.committee}})
    items.append(_week(site, rng, monday, 0.8, _at(monday - timedelta(days=2), rng, 14, 17)))
    issued = monday - timedelta(days=rng.randint(3, 20))
    items.append(_document(site, rng, f"{rng.randint(2, 99)}/{issued.year}/KH-{site.symbol}", ("Kế hoạch", "KH"),
                           issued, _at(issued + timedelta(days=1), rng, 8, 17)))
    asked = _at(monday - timedelta(days=rng.randint(4, 9)), rng, 6, 21)
    items.append(_question(site, rng, asked, _at(asked.date() + timedelta(days=2), rng, 8, 17)))
    return items + _pages(site, monday)


def history(unit: dict, now: datetime) -> list[dict]:
    """The unit's items from the first of the month HISTORY_MONTHS back until `now`, oldest first,
    the weeks before this one (a cover's media_id is its topic, a document's file None: load_unit
    uploads them and puts their ids in)."""
    site = Site.of(unit)
    today = now.astimezone(LOCAL_TIME).date()
    dated: list[tuple[datetime, dict]] = []
    for months_ago in range(HISTORY_MONTHS, -1, -1):
        month = _month_start(today, months_ago)
        level = activity(site.slug, months_ago)
        dated += _news(site, month, level) + _schedules(site, month, level, today)
        dated += _documents(site, month, level) + _questions(site, month, level, now)
    return [item for moment, item in sorted(dated, key=lambda pair: pair[0]) if moment <= now]


def words_for(site: Site, rng: random.Random, moment: datetime) -> dict:
    """What a phrase's placeholders say about the site at `moment`."""
    names, seasons = PHRASES["names"], PHRASES["seasons"]
    month, year = moment.month, moment.year
    school_year = year if month >= 8 else year - 1
    return {
        "unit": site.name, "short": site.short, "committee": site.committee, "kind": site.kind or "tỉnh",
        "area": site.area, "village": rng.choice(site.villages), "leader": rng.choice(site.titled_leaders),
        "phone": site.phone(), "month": month, "year": year, "next_year": year + 1, "quarter": (month - 1) // 3 + 1,
        "date": f"{moment.day}/{month}", "deadline": f"{monthrange(year, month)[1]}/{month}",
        "season": seasons["crop"][str(month)], "occasion": seasons["occasion"][str(month)],
        "round": 1 if month <= 6 else 2, "crop": rng.choice(names["crops"]), "river": rng.choice(names["rivers"]),
        "area_ha": _number(rng.randint(80, 650)), "yield_": rng.randint(55, 68), "small_ha": rng.randint(2, 25),
        "people": rng.randint(40, 250), "count": _number(rng.randint(60, 1200)), "percent": rng.randint(62, 98),
        "small_count": rng.randint(3, 40), "pupils": _number(rng.randint(600, 3500)),
        "school_year": f"{school_year} - {school_year + 1}",
    }


def questions_for(site: Site) -> list[dict]:
    """The questions of the pool the unit answers: asked of its level, of it by name, or of any."""
    return [question for question in PHRASES["questions"]
            if {"*", site.slug, site.level} & set(question["asked_of"])]


def _news(site: Site, month: date, level: float) -> list[tuple[datetime, dict]]:
    rng = _random(site, month, "news")
    days = monthrange(month.year, month.month)[1]
    # Some declining sites publish most of a month's news in its last days, as the ranking flags.
    burst = profile(site.slug) == "declining" and rng.random() < 0.5
    dated = []
    for index in range(round(level * NEWS)):
        late = burst and rng.random() < 0.7
        moment = _at(month.replace(day=rng.randint(days - 2 if late else 1, days)), rng, 7, 17)
        topic = _topic(rng, month.month)
        words = words_for(site, rng, moment)
        title = _own_title(site, _fill(rng.choice(topic["titles"]), words))
        item = {"kind": "article", "slug": f"{_slug(title)[:70].rstrip('-')}-{month:%Y%m}{index:02d}", "title": title,
                "category": topic["category"], "tags": [topic["tag"]], "published_at": moment.isoformat()}
        if level < STUBS_BELOW and rng.random() < 0.5:
            item["body_html"] = f"<p>{_fill(rng.choice(PHRASES['general']['stubs']), words)}</p>"
        else:
            item["body_html"], lead = _body(rng, topic, words)
            if rng.random() < 0.3 + 0.6 * level:
                item["summary"] = lead
            if topic["key"] in _pictured(site) and rng.random() < 0.15 + 0.75 * level:
                item["cover"] = {"media_id": topic["key"], "alt": demo_images.alt(topic["key"]),
                                 "caption": site.committee}
        dated.append((moment, item))
    return dated


def _pictured(site: Site) -> set[str]:
    """The topics the unit has a picture for: this week's, and others drawn for it."""
    current = {topic for _, topic, _ in CURRENT_ARTICLES}
    others = sorted(set(TOPICS) - current)
    return current | set(random.Random(f"{site.slug}|pictures").sample(others, PICTURED_TOPICS - len(current)))


def _own_title(site: Site, title: str) -> str:
    """The title naming the unit: a title drawn for any unit gets its name, so that no two units'
    news read the same."""
    if site.name.lower() in title.lower():
        return title
    return f"{title}, {site.name}" if " tại " in title else f"{title} tại {site.name}"


def _body(rng: random.Random, topic: dict, words: dict) -> tuple[str, str]:
    """About 100 to 300 words: a lead, the topic's sentences in paragraphs of two or three, a
    heading over a list of the topic's points, a closing; and the lead alone."""
    wanted = rng.randint(90, 270)
    pool = rng.sample(topic["sentences"], len(topic["sentences"]))
    pool[2:2] = rng.sample(PHRASES["general"]["sentences"], 1)
    sentences: list[str] = []
    while pool and sum(len(sentence.split()) for sentence in sentences) < wanted:
        sentences.append(_fill(pool.pop(0), words))
    paragraphs, start = [], 0
    while start < len(sentences):
        size = rng.choice((2, 3))
        paragraphs.append(" ".join(sentences[start:start + size]))
        start += size
    points = rng.sample(topic["points"], min(len(topic["points"]), rng.randint(3, 5)))
    listed = (f"<h2>{_fill(topic['heading'], words)}</h2>"
              f"<ul>{''.join(f'<li>{_fill(point, words)}</li>' for point in points)}</ul>")
    closing = f"<h2>Thời gian tới</h2><p>{_fill(rng.choice(PHRASES['general']['closings']), words)}</p>"
    middle = max(1, len(paragraphs) // 2)
    html = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs[:middle]) + listed
    html += "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs[middle:]) + closing
    return html, sentences[0]


def _schedules(site: Site, month: date, level: float, today: date) -> list[tuple[datetime, dict]]:
    """A week's schedule (the week belongs to the month of its Monday), published the Saturday
    before; this week's is the present's."""
    rng = _random(site, month, "schedules")
    monday = month + timedelta(days=-month.weekday() % 7)
    this_week = today - timedelta(days=today.weekday())
    dated = []
    while monday.month == month.month and monday < this_week:
        if rng.random() < level * WEEKS:
            published = _at(monday - timedelta(days=2), rng, 14, 17)
            dated.append((published, _week(site, rng, monday, level, published)))
        monday += timedelta(days=7)
    return dated


def _week(site: Site, rng: random.Random, monday: date, level: float, published: datetime) -> dict:
    phrases = PHRASES["schedule"]
    slots = [phrases["slots"][0], *sorted(rng.sample(phrases["slots"][1:], 1 + round(level * 4)))]
    plans = [phrases["entries"][0], *rng.sample(phrases["entries"][1:], len(slots) - 1)]
    entries = []
    for (weekday, start, end), (title, place) in zip(slots, plans):
        day = monday + timedelta(days=weekday)
        words = words_for(site, rng, datetime.combine(day, time(), LOCAL_TIME))
        entry = {"start": _local(day, start), "leader": words["leader"], "title": title,
                 "location": _fill(place, words)}
        entries.append({**entry, "end": _local(day, end)} if end else entry)
    year, week, _ = monday.isocalendar()
    return {"kind": "schedule", "week": f"{year}-W{week:02d}", "entries": entries,
            "published_at": published.isoformat()}


def _documents(site: Site, month: date, level: float) -> list[tuple[datetime, dict]]:
    rng = _random(site, month, "documents")
    days = monthrange(month.year, month.month)[1]
    dated = []
    for index in range(int(level * DOCUMENTS + rng.random())):  # level × DOCUMENTS on average
        kind = rng.choice(PHRASES["documents"]["types"])
        issued = month.replace(day=rng.randint(1, days))
        published = _at(issued + timedelta(days=rng.randint(0, 3)), rng, 8, 17)
        number = f"{100 + 20 * month.month + index}/{month.year}/{kind[1]}-{site.symbol}"
        dated.append((published, _document(site, rng, number, kind, issued, published)))
    return dated


def _document(site: Site, rng: random.Random, number: str, kind: list[str] | tuple[str, str], issued: date,
              published: datetime) -> dict:
    type_ = kind[0]
    field, excerpts = rng.choice(PHRASES["documents"]["fields"])
    words = words_for(site, rng, published)
    return {"kind": "document", "number": number, "type": type_, "issuing_body": site.committee,
            "signer": site.leaders[rng.randint(0, 1)][1], "issued_on": issued.isoformat(),
            "effective_on": issued.isoformat() if type_ in ("Quyết định", "Chỉ thị") else None,
            "excerpt": _fill(rng.choice(excerpts), words), "field": field, "file": None,
            "published_at": published.isoformat()}


def _questions(site: Site, month: date, level: float, now: datetime) -> list[tuple[datetime, dict]]:
    """Questions asked that month; answered after a few days on a keen site, later on a slack one,
    never on many of a stale one's; one not yet answered by now is still waiting."""
    rng = _random(site, month, "questions")
    stale = profile(site.slug) == "stale"
    count = (1 if rng.random() < 0.5 else 0) if stale else round(level * QUESTIONS)
    days = monthrange(month.year, month.month)[1]
    dated = []
    for _ in range(count):
        asked = _at(month.replace(day=rng.randint(1, days)), rng, 6, 21)
        unanswered = stale and rng.random() < 0.6
        delay = rng.randint(1, 4) + round((1 - level) * rng.uniform(0, 30))
        answered = _at(asked.date() + timedelta(days=delay), rng, 8, 17)
        dated.append((asked, _question(site, rng, asked, None if unanswered or answered > now else answered)))
    return dated


def _question(site: Site, rng: random.Random, asked: datetime, answered: datetime | None) -> dict:
    """A question of the unit's pool, asked by a citizen; answered by the unit when `answered`."""
    question = rng.choice(questions_for(site))
    words = words_for(site, rng, asked)
    item = {"kind": "question", "title": question["title"], "question": _fill(question["question"], words),
            "asker_name": person(rng), "asked_at": asked.isoformat()}
    if answered is not None:
        item.update(answer_html=f"<p>{_fill(question['answer'], words)}</p>", answered_by=site.committee,
                    answered_at=answered.isoformat())
    return item


def _pages(site: Site, today: date) -> list[dict]:
    """The required pages, as last reviewed: lately on active and improving sites, months ago on
    steady and declining ones; a stale site has its introduction only."""
    rng = random.Random(f"{site.slug}|pages")
    kind = profile(site.slug)
    wanted = [("gioi-thieu", "vi"), ("gioi-thieu", "en")]
    if kind != "stale":
        wanted += [("co-cau-to-chuc", "vi"), ("lien-he", "vi"), ("lien-he", "en")]
    months_ago = (1, 2) if kind in ("active", "improving") else (3, HISTORY_MONTHS)
    contact = site.contact()
    words = {"unit": site.name, "unit_en": site.name_en, "committee": site.committee,
             "leaders": ", ".join(site.titled_leaders), "area_km2": rng.randint(5, 60),
             "population": _number(rng.randint(3000, 25000)), "hamlets": rng.randint(4, 14),
             "address": contact["address"], "phone": contact["phone"],
             "phone_en": "+84 " + contact["phone"].removeprefix("0"), "email": contact["email"],
             "responsible": f"{contact['responsible_official']}, {contact['responsible_title']}"}
    items = []
    for key, lang in wanted:
        month = _month_start(today, rng.randint(*months_ago))
        moment = _at(month.replace(day=rng.randint(1, 28)), rng, 8, 17)
        name = key if lang == "vi" else f"{key}-{lang}"
        page = PHRASES["pages"].get(f"{name}-so" if site.kind is None else name, PHRASES["pages"][name])
        items.append({"kind": "page", "key": key, "lang": lang, "title": _fill(page["title"], words),
                      "body_html": _fill(page["body"], words), "updated_at": moment.isoformat()})
    return items


def _with_media(content, acting, unit: dict, items: list[dict]) -> list[dict]:
    """The items with their covers' and documents' media ids, each file uploaded once."""
    site = Site.of(unit)
    topics = sorted({item["cover"]["media_id"] for item in items if "cover" in item})
    files = {f"minh-hoa-{topic}.jpg": partial(_cover, site, topic) for topic in topics}
    files |= {_file_name(item): partial(_document_file, site, item) for item in items if item["kind"] == "document"}
    ids = uploaded(content, acting, site.slug, files)
    return [{**item, "cover": {**item["cover"], "media_id": ids[f"minh-hoa-{item['cover']['media_id']}.jpg"]}}
            if "cover" in item else {**item, "file": ids[_file_name(item)]} if item["kind"] == "document"
            else item for item in items]


def uploaded(content, acting, unit: str, files: dict[str, Callable[[], tuple[bytes, str, str]]]) -> dict[str, str]:
    """The media id of each file named in `files` on `unit`: an earlier load's upload, found by its
    name, or else uploaded now, its (data, content type, alt text) made only then."""
    ids = {media["filename"]: media["id"] for media in content.list_media(acting(), unit, 200)
           if media["filename"] in files}
    for name, made in files.items():
        if name not in ids:
            data, content_type, alt = made()
            ids[name] = content.upload_media(acting(), unit, name, base64.b64encode(data).decode("ascii"),
                                             content_type, alt, "")["id"]
    return ids


def _cover(site: Site, topic: str) -> tuple[bytes, str, str]:
    return demo_images.cover(site.slug, topic), "image/jpeg", demo_images.alt(topic)


def _document_file(site: Site, document: dict) -> tuple[bytes, str, str]:
    return _pdf(site, document), "application/pdf", ""


def _file_name(document: dict) -> str:
    return f"{_slug(document['number'])}.pdf"


def _pdf(site: Site, document: dict) -> bytes:
    title = next(title for title, name in site.leaders if name == document["signer"])
    if site.kind is None:  # a department's head signs as Giám đốc, not Giám đốc Sở
        head, title = site.leaders[0][0].removesuffix(" Sở"), title.removesuffix(" Sở")
        sign = title.upper() if title == head else f"KT. {head}\n{title}".upper()
    else:
        sign = SIGNS[title.split(" UBND")[0]].upper()
    place = "Huế" if site.kind in (None, "tỉnh") else site.short
    subject = document["excerpt"][:1].lower() + document["excerpt"][1:]
    articles = [f"Ban hành {document['type'].lower()} {subject.removeprefix('về việc ')}.",
                f"Giao Văn phòng {site.committee} chủ trì, phối hợp với các bộ phận chuyên môn, các đơn vị "
                "liên quan tổ chức thực hiện, định kỳ báo cáo kết quả.",
                "Các bộ phận chuyên môn và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành."]
    return demo_pdf.document_pdf(document, sign, place, articles)


def _topic(rng: random.Random, month: int) -> dict:
    """A topic for the month's news: one in season is likelier."""
    topics = PHRASES["topics"]
    weights = [3 if month in topic.get("months", ()) else 1 if "months" not in topic else 0.3 for topic in topics]
    return rng.choices(topics, weights)[0]


def _fill(phrase: str, words: dict) -> str:
    """The phrase with its placeholders filled, begun with a capital as a sentence or title is."""
    text = phrase.format_map(words)
    return text[:1].upper() + text[1:]


def _random(site: Site, month: date, part: str) -> random.Random:
    # Seeded by unit, month and part: one part's draws never shift another's.
    return random.Random(f"{site.slug}|{month:%Y-%m}|{part}")


def _month_start(today: date, months_ago: int) -> date:
    months = today.year * 12 + today.month - 1 - months_ago
    return date(months // 12, months % 12 + 1, 1)


def _at(day: date, rng: random.Random, first_hour: int, last_hour: int) -> datetime:
    return datetime.combine(day, time(rng.randint(first_hour, last_hour), rng.choice((0, 10, 15, 30, 45))), LOCAL_TIME)


def _local(day: date, clock: str) -> str:
    return datetime.combine(day, time.fromisoformat(clock), LOCAL_TIME).isoformat()


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in without_marks(text).lower()).split())


def _number(value: int) -> str:
    """7448251 → 7.448.251, as Vietnamese writes numbers."""
    return f"{value:,}".replace(",", ".")
