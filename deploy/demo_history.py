"""Demo history: the past six whole months and this month so far of each demo unit's site,
brought in through the content service's history import as a migrated site's archive would be.

How much a unit did each month follows deploy/demo_activity.py: about round(activity × NEWS)
news (with or without a summary or a cover photo; one-line stubs where a unit barely keeps its
site), leadership schedules for a share of the weeks about activity × WEEKS, round(activity ×
DOCUMENTS) legal documents, citizens' questions (answered within days, late, or still waiting
where the site is stale) and the pages a site must carry (stale sites miss some). The words come from
deploy/demo/history.toml. Everything is drawn from the unit's slug and the month, at times in
Asia/Ho_Chi_Minh no later than now, so a second load draws the same items and imports nothing new.
"""
from __future__ import annotations

import base64
import hashlib
import io
import random
import threading
import tomllib
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from PIL import Image

from deploy.demo_activity import HISTORY_MONTHS, activity, profile
from services.common.vietnam_time import LOCAL_TIME
from services.common.vietnamese import without_marks

PHRASES = tomllib.loads((Path(__file__).parent / "demo" / "history.toml").read_text(encoding="utf-8"))
BATCH = 200  # the most items one import takes
IMPORTING = threading.Lock()
# A month's items at activity 1, and the share of weeks with a schedule: a third of a keen
# site's month (12 news, 3 documents, 3 questions, every week). On the MongoDB stand-in every
# update costs about ten times more once some ten thousand were made, and each event takes a few
# (the outbox's, the ranking's): loading all of it took well over ten minutes.
NEWS, DOCUMENTS, QUESTIONS, WEEKS = 4, 1, 1, 1 / 3
STUBS_BELOW = 0.35  # a unit less active than this writes one-line news half the time
PHOTO = "anh-tu-lieu.jpg"  # the cover of the history's news, one upload per unit
# The word a local government's name begins with, as it reads inside a sentence (UBND xã Phú Mậu).
LOCAL_KINDS = {"tinh": "tỉnh", "thanh-pho": "thành phố", "thi-xa": "thị xã", "huyen": "huyện", "xa": "xã",
               "phuong": "phường", "thi-tran": "thị trấn"}
# A department's head and deputy, by the first word of its name.
DEPARTMENT_HEADS = {"Sở": ("Giám đốc", "Phó Giám đốc"), "Ban": ("Trưởng ban", "Phó Trưởng ban"),
                    "Văn phòng": ("Chánh Văn phòng", "Phó Chánh Văn phòng"),
                    "Thanh tra": ("Chánh Thanh tra", "Phó Chánh Thanh tra")}


def load_unit(content, acting, unit: dict, now: datetime | None = None) -> dict:
    """Import the unit's history, BATCH items a call: {"imported": n, "skipped": m}.

    Units are loaded side by side, but one import runs at a time, with nothing else writing:
    on the MongoDB stand-in, transactions that add documents under the same index key (every
    published article's status) conflict, and a long import retried over and over would run
    out of time; the stand-in works one request at a time anyway."""
    items = history(unit, now or datetime.now(LOCAL_TIME))
    if any("cover" in item for item in items):
        photo = _photo(content, acting, unit["slug"])
        items = [{**item, "cover": {**item["cover"], "media_id": photo}} if "cover" in item else item
                 for item in items]
    counts = {"imported": 0, "skipped": 0}
    for start in range(0, len(items), BATCH):
        with IMPORTING:
            done = content.import_history(acting(), unit["slug"], {"items": items[start:start + BATCH]})
        counts = {key: counts[key] + done[key] for key in counts}
    return counts


def history(unit: dict, now: datetime) -> list[dict]:
    """The unit's items from the first of the month HISTORY_MONTHS back until `now`, oldest first
    (a news item's cover without its media_id, which load_unit adds)."""
    site = Site.of(unit)
    today = now.astimezone(LOCAL_TIME).date()
    dated: list[tuple[datetime, dict]] = []
    for months_ago in range(HISTORY_MONTHS, -1, -1):
        month = _month_start(today, months_ago)
        level = activity(site.slug, months_ago)
        dated += _news(site, month, level) + _schedules(site, month, level, today)
        dated += _documents(site, month, level) + _questions(site, month, level, now)
    dated += _pages(site, today)
    return [item for moment, item in sorted(dated, key=lambda pair: pair[0]) if moment <= now]


@dataclass(frozen=True)
class Site:
    """A unit as its news speak of it: names, leaders, places."""
    slug: str
    name: str  # as a sentence names it: xã Phú Mậu, Sở Y tế
    name_en: str
    kind: str | None  # tỉnh, xã, phường … for a local government; None for a department
    short: str
    committee: str  # UBND xã Phú Mậu, or the department's own name
    area: str
    symbol: str  # the issuer in its documents' numbers
    leaders: tuple[tuple[str, str], ...]  # (title, name), the head first
    villages: tuple[str, ...]

    @property
    def titled_leaders(self) -> list[str]:
        return [f"{title} {name}" for title, name in self.leaders]

    @classmethod
    def of(cls, unit: dict) -> Site:
        rng = random.Random(unit["slug"])
        name, kind = unit["name"], LOCAL_KINDS.get(unit["kind"])
        if kind is not None:
            short = name.split(" ", len(kind.split()))[-1]
            name = f"{kind} {short}"  # as a sentence names it: xã Phú Mậu
            committee, area, symbol = f"UBND {kind} {short}", f"trên địa bàn {kind}", "UBND"
            head, deputy = f"Chủ tịch UBND {kind}", f"Phó Chủ tịch UBND {kind}"
        else:
            short, committee, area = name, name, "trên địa bàn tỉnh"
            symbol = "".join(word[0] for word in without_marks(name).upper().split() if word not in ("VA", "-"))
            head, deputy = next(titles for first, titles in DEPARTMENT_HEADS.items() if name.startswith(first))
        if unit["kind"] in ("phuong", "thi-tran"):
            villages = tuple(f"tổ dân phố {number}" for number in rng.sample(range(1, 16), 6))
        else:
            villages = tuple(f"thôn {hamlet}" for hamlet in rng.sample(PHRASES["names"]["hamlets"], 6))
        leaders = ((head, _person(rng)), (deputy, _person(rng)), (deputy, _person(rng)))
        return cls(unit["slug"], name, unit.get("name_en") or unit["name"], kind, short, committee, area, symbol,
                   leaders, villages)

    def words(self, rng: random.Random, moment: datetime) -> dict:
        """What a phrase's placeholders say about the site at `moment`."""
        names, seasons = PHRASES["names"], PHRASES["seasons"]
        month, year = moment.month, moment.year
        school_year = year if month >= 8 else year - 1
        return {
            "unit": self.name, "short": self.short, "committee": self.committee, "kind": self.kind or "tỉnh",
            "area": self.area, "village": rng.choice(self.villages), "leader": rng.choice(self.titled_leaders),
            "month": month, "year": year, "next_year": year + 1, "quarter": (month - 1) // 3 + 1,
            "date": f"{moment.day}/{month}", "deadline": f"{monthrange(year, month)[1]}/{month}",
            "season": seasons["crop"][str(month)], "occasion": seasons["occasion"][str(month)],
            "round": 1 if month <= 6 else 2, "crop": rng.choice(names["crops"]), "river": rng.choice(names["rivers"]),
            "area_ha": _number(rng.randint(80, 650)), "yield_": rng.randint(55, 68), "small_ha": rng.randint(2, 25),
            "people": rng.randint(40, 250), "count": _number(rng.randint(60, 1200)), "percent": rng.randint(62, 98),
            "small_count": rng.randint(3, 40), "pupils": _number(rng.randint(600, 3500)),
            "school_year": f"{school_year} - {school_year + 1}",
        }


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
        words = site.words(rng, moment)
        title = _fill(rng.choice(topic["titles"]), words)
        item = {"kind": "article", "slug": f"{_slug(title)[:70].rstrip('-')}-{month:%Y%m}{index:02d}", "title": title,
                "category": topic["category"], "tags": [topic["tag"]], "published_at": moment.isoformat()}
        if level < STUBS_BELOW and rng.random() < 0.5:
            item["body_html"] = f"<p>{_fill(rng.choice(PHRASES['general']['stubs']), words)}</p>"
        else:
            item["body_html"], lead = _body(rng, topic, words)
            if rng.random() < 0.3 + 0.6 * level:
                item["summary"] = lead
            if rng.random() < 0.15 + 0.75 * level:
                item["cover"] = {"alt": f"Ảnh tư liệu: {title}"[:300], "caption": site.committee}
        dated.append((moment, item))
    return dated


def _body(rng: random.Random, topic: dict, words: dict) -> tuple[str, str]:
    """About 100 to 300 words in paragraphs of two or three sentences: the topic's, a little
    context after the lead, a closing; and the lead alone."""
    wanted = rng.randint(90, 270)
    pool = rng.sample(topic["sentences"], len(topic["sentences"]))
    pool[2:2] = rng.sample(PHRASES["general"]["sentences"], 1)
    sentences: list[str] = []
    while pool and sum(len(sentence.split()) for sentence in sentences) < wanted:
        sentences.append(_fill(pool.pop(0), words))
    sentences.append(_fill(rng.choice(PHRASES["general"]["closings"]), words))
    paragraphs, start = [], 0
    while start < len(sentences):
        size = rng.choice((2, 3))
        paragraphs.append(" ".join(sentences[start:start + size]))
        start += size
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs), sentences[0]


def _schedules(site: Site, month: date, level: float, today: date) -> list[tuple[datetime, dict]]:
    """A week's schedule (the week belongs to the month of its Monday), published the Saturday before."""
    rng = _random(site, month, "schedules")
    phrases = PHRASES["schedule"]
    monday = month + timedelta(days=-month.weekday() % 7)
    dated = []
    while monday.month == month.month and monday <= today:
        if rng.random() < level * WEEKS:
            slots = [phrases["slots"][0], *sorted(rng.sample(phrases["slots"][1:], 1 + round(level * 4)))]
            plans = [phrases["entries"][0], *rng.sample(phrases["entries"][1:], len(slots) - 1)]
            entries = []
            for (weekday, start, end), (title, place) in zip(slots, plans):
                day = monday + timedelta(days=weekday)
                words = site.words(rng, datetime.combine(day, time(), LOCAL_TIME))
                entry = {"start": _local(day, start), "leader": words["leader"], "title": title,
                         "location": _fill(place, words)}
                entries.append({**entry, "end": _local(day, end)} if end else entry)
            published = _at(monday - timedelta(days=2), rng, 14, 17)
            year, week, _ = monday.isocalendar()
            dated.append((published, {"kind": "schedule", "week": f"{year}-W{week:02d}", "entries": entries,
                                      "published_at": published.isoformat()}))
        monday += timedelta(days=7)
    return dated


def _documents(site: Site, month: date, level: float) -> list[tuple[datetime, dict]]:
    rng = _random(site, month, "documents")
    days = monthrange(month.year, month.month)[1]
    dated = []
    for index in range(round(level * DOCUMENTS)):
        type_, symbol = rng.choice(PHRASES["documents"]["types"])
        field, excerpts = rng.choice(PHRASES["documents"]["fields"])
        issued = month.replace(day=rng.randint(1, days))
        published = _at(issued + timedelta(days=rng.randint(0, 3)), rng, 8, 17)
        words = site.words(rng, published)
        dated.append((published, {
            "kind": "document", "number": f"{100 + 20 * month.month + index}/{month.year}/{symbol}-{site.symbol}",
            "type": type_, "issuing_body": site.committee, "signer": site.leaders[rng.randint(0, 1)][1],
            "issued_on": issued.isoformat(),
            "effective_on": issued.isoformat() if type_ in ("Quyết định", "Chỉ thị") else None,
            "excerpt": _fill(rng.choice(excerpts), words), "field": field,
            "published_at": published.isoformat()}))
    return dated


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
        question = rng.choice(PHRASES["questions"])
        words = site.words(rng, asked)
        item = {"kind": "question", "title": question["title"], "question": _fill(question["question"], words),
                "asker_name": _person(rng), "asked_at": asked.isoformat()}
        unanswered = stale and rng.random() < 0.6
        delay = rng.randint(1, 4) + round((1 - level) * rng.uniform(0, 30))
        answered = _at(asked.date() + timedelta(days=delay), rng, 8, 17)
        if not unanswered and answered <= now:
            item.update(answer_html=f"<p>{_fill(question['answer'], words)}</p>", answered_by=site.committee,
                        answered_at=answered.isoformat())
        dated.append((asked, item))
    return dated


def _pages(site: Site, today: date) -> list[tuple[datetime, dict]]:
    """The required pages, as last reviewed: lately on active and improving sites, months ago on
    steady and declining ones; a stale site has its introduction only."""
    rng = random.Random(f"{site.slug}|pages")
    kind = profile(site.slug)
    wanted = [("gioi-thieu", "vi")] if kind == "stale" else [
        ("gioi-thieu", "vi"), ("co-cau-to-chuc", "vi"), ("lien-he", "vi"), ("lien-he", "en")]
    months_ago = (1, 2) if kind in ("active", "improving") else (3, HISTORY_MONTHS)
    phone = f"{rng.randint(3500, 3899)} {rng.randint(100, 999)}"
    words = {"unit": site.name, "unit_en": site.name_en, "committee": site.committee,
             "chair": site.titled_leaders[0], "leaders": ", ".join(site.titled_leaders), "area_km2": rng.randint(5, 60),
             "population": _number(rng.randint(3000, 25000)), "hamlets": rng.randint(4, 14),
             "phone": f"0234 {phone}", "phone_en": f"+84 234 {phone}", "email": f"{site.slug}@thuathienhue.gov.vn"}
    dated = []
    for key, lang in wanted:
        month = _month_start(today, rng.randint(*months_ago))
        moment = _at(month.replace(day=rng.randint(1, 28)), rng, 8, 17)
        page = PHRASES["pages"][key if lang == "vi" else f"{key}-{lang}"]
        dated.append((moment, {"kind": "page", "key": key, "lang": lang, "title": page["title"],
                               "body_html": _fill(page["body"], words), "updated_at": moment.isoformat()}))
    return dated


def _topic(rng: random.Random, month: int) -> dict:
    """A topic for the month's news: one in season is likelier."""
    topics = PHRASES["topics"]
    weights = [3 if month in topic.get("months", ()) else 1 if "months" not in topic else 0.3 for topic in topics]
    return rng.choices(topics, weights)[0]


def _photo(content, acting, unit: str) -> str:
    """The unit's cover photo for its history, uploaded once."""
    for media in content.list_media(acting(), unit, 200):
        if media["filename"] == PHOTO:
            return media["id"]
    picture = io.BytesIO()
    red, green, blue = hashlib.sha256(unit.encode()).digest()[:3]
    Image.new("RGB", (960, 540), (red // 2 + 64, green // 2 + 64, blue // 2 + 64)).save(picture, "JPEG", quality=80)
    return content.upload_media(acting(), unit, PHOTO, base64.b64encode(picture.getvalue()).decode("ascii"),
                                "image/jpeg", "Ảnh tư liệu của đơn vị", "")["id"]


def _fill(phrase: str, words: dict) -> str:
    """The phrase with its placeholders filled, begun with a capital as a sentence or title is."""
    text = phrase.format_map(words)
    return text[:1].upper() + text[1:]


def _random(site: Site, month: date, part: str) -> random.Random:
    # Seeded by unit, month and part: one part's draws never shift another's.
    return random.Random(f"{site.slug}|{month:%Y-%m}|{part}")


def _person(rng: random.Random) -> str:
    names = PHRASES["names"]
    return f"{rng.choice(names['surnames'])} {rng.choice(names['middle'])} {rng.choice(names['given'])}"


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
