"""Scoring a month: each unit's criteria measured from the month's facts, and the units ranked.

Pure functions of the facts and the criteria, so a month scores the same however the facts got
here (live events or a rebuild from content's replay). Every criterion gives points =
achieved ratio × its maximum; a unit's score is their sum. A unit is measured over the part of
the month it had a site and the month had passed (`until`), and its targets shrink with it.

Ranks: within each level and over all, by score; units with equal scores share a rank (1, 1, 3)
and are listed by name in Vietnamese alphabetical order, then by slug.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from services.common.vietnam_time import LOCAL_TIME, local_midnight
from services.common.vietnamese import sort_key
from services.ranking.criteria import Criteria, Criterion
from services.ranking.facts import MonthFacts
from services.ranking.months import Month, iso_weeks, local_day, thursday_of

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Period:
    """The part of the month a unit is measured over: [start, end)."""
    month: Month
    start: datetime
    end: datetime

    @property
    def fraction(self) -> float:
        return max(0.0, (self.end - self.start) / (self.month.end - self.month.start))

    def holds(self, moment) -> bool:
        return moment is not None and self.start <= moment < self.end

    def target(self, per_month: int) -> int:
        return max(1, math.ceil(per_month * self.fraction - 1e-9))


def ranked_units(facts: MonthFacts) -> list[dict]:
    """The units that had a site in the month (`site_since` before it ended) and were still
    active at its end (a unit merged or dissolved later is ranked in the months it was active)."""
    chosen = []
    for unit in facts.units:
        created = unit.get("site_since")
        if created is not None and created >= facts.until:
            continue
        if unit.get("status", "active") != "active" and (unit.get("status_since") or facts.until) < facts.month.end:
            continue
        chosen.append(unit)
    return chosen


def score_month(criteria: Criteria, facts: MonthFacts) -> list[dict]:
    """Every ranked unit's score: {"unit", "unit_name", "level", "score", "maximum", "criteria", "flags"}."""
    units = ranked_units(facts)
    level_views: dict[str, list[int]] = {}
    for unit in units:
        level_views.setdefault(unit["level"], []).append(facts.views.get(unit["_id"], 0))
    medians = {level: median(views) for level, views in level_views.items()}
    return [_score_unit(criteria, facts, unit, medians[unit["level"]]) for unit in units]


def rank(scores: list[dict], previous: dict[str, int] | None = None) -> list[dict]:
    """Rows in overall order with "rank", "rank_in_level", "units_in_level" and "change" (places
    gained in the level since `previous`: {unit: rank_in_level}; None where it was not ranked)."""
    previous = previous or {}
    ordered = sorted(scores, key=lambda row: (-row["score"], sort_key(row["unit_name"]), row["unit"]))
    _assign(ordered, "rank")
    by_level: dict[str, list[dict]] = {}
    for row in ordered:
        by_level.setdefault(row["level"], []).append(row)
    for rows in by_level.values():
        _assign(rows, "rank_in_level")
        for row in rows:
            row["units_in_level"] = len(rows)
            before = previous.get(row["unit"])
            row["change"] = None if before is None else before - row["rank_in_level"]
    return ordered


def _assign(rows: list[dict], field: str) -> None:
    for position, row in enumerate(rows, start=1):
        tied = position > 1 and row["score"] == rows[position - 2]["score"]
        row[field] = rows[position - 2][field] if tied else position


def _score_unit(criteria: Criteria, facts: MonthFacts, unit: dict, level_median: float) -> dict:
    slug = unit["_id"]
    created = unit.get("site_since")
    period = Period(facts.month, max(facts.month.start, created or facts.month.start), facts.until)
    rules, targets = criteria.rules, criteria.targets(unit["level"])
    measured = _Unit(slug, period, facts, rules)
    results = []
    for criterion in criteria.criterion:
        measure = MEASURES[criterion.measure]
        ratio, summary, figures, evidence, advice = measure(measured, criteria, targets, level_median)
        results.append(_result(criterion, ratio, summary, figures, evidence, advice))
    flags = measured.flags()
    if created is not None and created > facts.month.start:
        flags.append({"kind": "new_unit", "text": f"Đơn vị có trang từ ngày {local_day(created):%d/%m/%Y}: "
                                                  "chỉ tiêu tính theo số ngày hoạt động trong tháng."})
    return {"unit": slug, "unit_name": unit.get("name", slug), "level": unit["level"],
            "score": round(sum(result["points"] for result in results), 2), "maximum": criteria.maximum,
            "criteria": results, "flags": flags}


def _result(criterion: Criterion, ratio: float, summary: str, figures: dict, evidence: list, advice: str) -> dict:
    ratio = min(1.0, max(0.0, ratio))
    return {"key": criterion.key, "title": criterion.title, "maximum": criterion.maximum,
            "points": round(ratio * criterion.maximum, 2), "ratio": round(ratio, 4), "summary": summary,
            "figures": figures, "evidence": evidence[:20], "advice": advice if ratio < 1 else ""}


class _Unit:
    """One unit's facts over its period, with what several criteria share."""

    def __init__(self, slug: str, period: Period, facts: MonthFacts, rules):
        self.slug, self.period, self.facts, self.rules = slug, period, facts, rules
        articles = [a for a in facts.of("articles", slug) if period.holds(a.get("published_at"))]
        early = timedelta(hours=rules.counted_after_hours)
        self.withdrawn_early, self.stubs, counted = [], [], []
        for article in articles:
            withdrawn = article.get("withdrawn_at")
            if withdrawn and withdrawn - article["published_at"] < early:
                self.withdrawn_early.append(article)
            elif article.get("words", 0) < rules.real_body_words:
                self.stubs.append(article)
            else:
                counted.append(article)
        self.counted = sorted(counted, key=lambda a: a["published_at"])
        self.documents = [d for d in facts.of("documents", slug) if period.holds(d["published_at"])]

    def updates(self) -> list[datetime]:
        """Every moment the site was updated in the period."""
        moments = [a["published_at"] for a in self.counted] + [d["published_at"] for d in self.documents]
        for kind, field in (("schedules", "published_at"), ("questions", "answered_at"), ("pages", "updated_at")):
            moments += [doc[field] for doc in self.facts.of(kind, self.slug) if self.period.holds(doc.get(field))]
        return sorted(moments)

    def flags(self) -> list[dict]:
        rules, month = self.rules, self.period.month
        last_days_from = month.end - timedelta(days=rules.burst_last_days)
        late = [a for a in self.counted if a["published_at"] >= last_days_from]
        if len(late) >= rules.burst_minimum and len(late) >= rules.burst_share * len(self.counted):
            return [{"kind": "burst", "text": f"{len(late)}/{len(self.counted)} tin bài của tháng đăng dồn trong "
                                              f"{rules.burst_last_days} ngày cuối tháng."}]
        return []


def _evidence(docs, moment_field: str = "published_at") -> list[dict]:
    return [{"title": doc.get("title", ""), "path": doc.get("path", ""),
             "date": doc[moment_field].astimezone(LOCAL_TIME).isoformat()} for doc in docs]


def _news(unit: _Unit, criteria: Criteria, targets, _median) -> tuple:
    target = unit.period.target(targets.news_per_month)
    counted = len(unit.counted)
    figures = {"counted": counted, "target": target, "stubs": len(unit.stubs),
               "withdrawn_within_hours": len(unit.withdrawn_early)}
    advice = (f"Đăng thêm {target - counted} tin bài có nội dung đầy đủ (từ {criteria.rules.real_body_words} chữ); "
              "tin rút xuống trong vòng 24 giờ hoặc chỉ vài dòng không được tính.")
    return counted / target, f"{counted}/{target} tin bài", figures, _evidence(unit.counted), advice


def _blocks(period: Period) -> list[tuple[datetime, datetime]]:
    """The month's four weeks (days 1–7, 8–14, 15–21, 22 to the end) the period touches."""
    month = period.month
    starts = [month.start + WEEK * index for index in range(4)]
    bounds = list(zip(starts, starts[1:] + [month.end]))
    return [(start, end) for start, end in bounds if start < period.end and end > period.start]


def _regularity(unit: _Unit, _criteria, _targets, _median) -> tuple:
    blocks = _blocks(unit.period)
    updates = unit.updates()
    active = [block for block in blocks if any(block[0] <= moment < block[1] for moment in updates)]
    missing = [f"{local_day(start):%d/%m}–{local_day(end - timedelta(seconds=1)):%d/%m}"
               for start, end in blocks if (start, end) not in active]
    advice = "Cập nhật ít nhất một lần mỗi tuần; tuần chưa có cập nhật: " + ", ".join(missing) + "."
    return (len(active) / len(blocks) if blocks else 0.0, f"{len(active)}/{len(blocks)} tuần có cập nhật",
            {"weeks_updated": len(active), "weeks": len(blocks), "updates": len(updates)}, [], advice)


def _longest_gap(unit: _Unit, criteria: Criteria, _targets, _median) -> tuple:
    rules, period = criteria.rules, unit.period
    marks = [period.start, *unit.updates(), period.end]
    gap = max((later - earlier for earlier, later in zip(marks, marks[1:])), default=timedelta(0))
    days = round(gap / timedelta(days=1), 1)
    span = rules.gap_bad_days - rules.gap_good_days
    ratio = 1.0 if days <= rules.gap_good_days else max(0.0, (rules.gap_bad_days - days) / span)
    advice = f"Không để quá {rules.gap_good_days} ngày liền không có cập nhật nào."
    return ratio, f"dài nhất {_number(days)} ngày không cập nhật", {"longest_gap_days": days}, [], advice


def _schedule(unit: _Unit, _criteria, _targets, _median) -> tuple:
    period = unit.period
    published = {s["week"]: s for s in unit.facts.of("schedules", unit.slug) if s.get("entries", 0) > 0}
    weeks, kept, missing = [], [], []
    for week in iso_weeks(period.month):
        monday = local_midnight(thursday_of(week) - timedelta(days=3))
        if monday >= period.end or monday + WEEK <= period.start:
            continue
        weeks.append(week)
        schedule = published.get(week)
        if schedule is not None and schedule["published_at"] < monday + WEEK:  # not filled in afterwards
            kept.append(schedule)
        else:
            missing.append(week)
    advice = "Đăng lịch công tác của lãnh đạo trước khi tuần kết thúc; còn thiếu: " + ", ".join(missing) + "."
    return (len(kept) / len(weeks) if weeks else 1.0, f"{len(kept)}/{len(weeks)} tuần",
            {"weeks_kept": len(kept), "weeks": len(weeks), "missing": missing},
            [{"title": f"Lịch công tác tuần {s['week']}", "path": s.get("path", ""),
              "date": s["published_at"].astimezone(LOCAL_TIME).isoformat()} for s in kept], advice)


def _documents(unit: _Unit, _criteria, targets, _median) -> tuple:
    target = unit.period.target(targets.documents_per_month)
    count = len(unit.documents)
    return (count / target, f"{count}/{target} văn bản", {"published": count, "target": target},
            _evidence(sorted(unit.documents, key=lambda d: d["published_at"])),
            f"Đăng thêm {target - count} văn bản chỉ đạo, điều hành.")


def _questions(unit: _Unit, criteria: Criteria, _targets, _median) -> tuple:
    period, within = unit.period, timedelta(days=criteria.rules.answer_within_days)
    answered, overdue = [], []
    for question in unit.facts.of("questions", unit.slug):
        if question["state"] == "rejected":
            continue
        if period.holds(question.get("answered_at")):
            answered.append(question)
        elif question["asked_at"] + within < period.end and (question.get("answered_at") or period.end) >= period.end:
            overdue.append(question)
    on_time = [q for q in answered if q["answered_at"] - q["asked_at"] <= within]
    considered = len(answered) + len(overdue)
    waited = [(q["answered_at"] - q["asked_at"]) / timedelta(days=1) for q in answered]
    figures = {"answered": len(answered), "answered_on_time": len(on_time), "overdue_unanswered": len(overdue),
               "average_days_waited": round(sum(waited) / len(waited), 1) if waited else None}
    summary = (f"{len(on_time)}/{considered} câu hỏi trả lời trong {criteria.rules.answer_within_days} ngày"
               if considered else "không có câu hỏi đến hạn trả lời")
    advice = (f"Trả lời câu hỏi của người dân trong {criteria.rules.answer_within_days} ngày; "
              f"{len(overdue)} câu hỏi đang quá hạn.")
    return (len(on_time) / considered if considered else 1.0, summary, figures,
            _evidence(sorted(answered, key=lambda q: q["answered_at"]), "answered_at"), advice)


def _required_pages(unit: _Unit, criteria: Criteria, _targets, _median) -> tuple:
    period = unit.period
    reviewed_since = period.end - timedelta(days=criteria.rules.page_review_days)
    pages = {(p["key"], p["lang"]): p for p in unit.facts.of("pages", unit.slug)
             if p.get("updated_at") is not None and p["updated_at"] < period.end}
    credit, lacking, evidence = 0.0, [], []
    for required in criteria.required_pages:
        page = pages.get((required.key, required.lang))
        if page is None:
            lacking.append(f"{required.name} (chưa có)")
        elif page["updated_at"] >= reviewed_since:
            credit += 1
            evidence.append(page)
        else:
            credit += 0.5
            lacking.append(f"{required.name} (chưa rà soát trong {criteria.rules.page_review_days} ngày)")
            evidence.append(page)
    total = len(criteria.required_pages)
    return (credit / total if total else 1.0, f"{_number(credit)}/{total} trang bắt buộc",
            {"credit": credit, "required": total, "lacking": lacking},
            _evidence(evidence, "updated_at"), "Bổ sung hoặc rà soát: " + "; ".join(lacking) + ".")


def _coverage(unit: _Unit, _criteria, _targets, _median) -> tuple:
    known = unit.facts.coverage
    if known is None:
        return 0.0, "chưa có số liệu", {"share": None}, [], "Xem mức độ tuân thủ khi có số liệu."
    share = known.get(unit.slug, 0.0)
    return (share, f"{_number(round(share * 100, 1))}% mục thông tin bắt buộc", {"share": share}, [],
            f"Bổ sung các mục còn thiếu hoặc quá hạn: /{unit.slug}/tuan-thu.")


def _visits(unit: _Unit, _criteria, _targets, level_median: float) -> tuple:
    views = unit.facts.views.get(unit.slug, 0)
    ratio = (views / level_median) if level_median else (1.0 if views else 0.0)
    return (ratio, f"{_number(views)} lượt xem, trung vị cùng cấp {_number(level_median)}",
            {"views": views, "level_median": level_median}, [],
            "Giới thiệu trang đến người dân: bảng tin, mạng xã hội, mã QR tại bộ phận một cửa.")


def _quality(unit: _Unit, _criteria, _targets, _median) -> tuple:
    counted = unit.counted
    if not counted:
        return 0.0, "chưa có tin bài được tính", {"articles": 0}, [], "Đăng tin bài có ảnh kèm mô tả và tóm tắt."
    covers = sum(1 for a in counted if a.get("described_cover"))
    summaries = sum(1 for a in counted if a.get("summary"))
    ratio = (covers + summaries) / (2 * len(counted))
    return (ratio, f"{covers}/{len(counted)} có ảnh mô tả, {summaries}/{len(counted)} có tóm tắt",
            {"articles": len(counted), "described_covers": covers, "summaries": summaries}, [],
            "Thêm ảnh đại diện có mô tả ảnh và đoạn tóm tắt cho mỗi tin bài.")


MEASURES = {"news": _news, "regularity": _regularity, "longest_gap": _longest_gap, "schedule": _schedule,
            "documents": _documents, "questions": _questions, "required_pages": _required_pages,
            "coverage": _coverage, "visits": _visits, "quality": _quality}


def _number(value: float) -> str:
    """7.448.251 and 3,75 as Vietnamese write them."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".rstrip("0").replace(",", " ").replace(".", ",").replace(" ", ".")
