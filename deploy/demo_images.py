"""The demo's cover pictures: a simple drawn illustration for each topic of the news (a scene of
flat shapes, its colours varied by the unit), not a photograph, with alt text that says what the
picture shows. Drawn with Pillow on the loading machine; the same unit and topic draw the same
picture on every load."""
from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

SIZE = (800, 450)  # drawn at, then saved at SAVED: the covers' largest rendition is 640 wide
SAVED = (640, 360)
HORIZON = 300
# What each topic's picture shows, as its alt text says it (Circular 32/2017, WCAG 1.1.1).
ALT = {
    "meetings": "Tranh minh họa: hội trường có bàn chủ tọa phủ khăn đỏ, bục phát biểu và các hàng ghế đại biểu",
    "agriculture": "Tranh minh họa: cánh đồng lúa xanh chia thành từng thửa, mặt trời trên dãy núi xa",
    "reform": "Tranh minh họa: quầy tiếp nhận hồ sơ một cửa với màn hình máy tính và chồng giấy tờ",
    "health": "Tranh minh họa: trạm y tế mái xanh có biểu tượng chữ thập đỏ và xe cứu thương",
    "schools": "Tranh minh họa: ngôi trường hai tầng có cột cờ, hàng cây xanh và sân trường",
    "festivals": "Tranh minh họa: đèn lồng đỏ và vàng treo trên dây, sân khấu lễ hội dưới trời đêm",
    "floods": "Tranh minh họa: nước lũ dâng quanh nhà dân, thuyền cứu hộ và mưa rơi",
    "digital": "Tranh minh họa: điện thoại và máy tính nối mạng với trụ sở cơ quan nhà nước",
    "environment": "Tranh minh họa: con đường làng hai bên cây xanh, thùng rác phân loại và người dân quét dọn",
}
TOPICS = tuple(ALT)


def cover(unit: str, topic: str) -> bytes:
    """The JPEG of `topic`'s cover for `unit`."""
    rng = random.Random(f"{unit}|{topic}|cover")
    night = topic == "festivals"
    sky = (20, 30, 70) if night else _shade(rng, (120, 180, 230))
    ground = _shade(rng, {"agriculture": (90, 160, 70), "floods": (110, 90, 60)}.get(topic, (150, 170, 120)))
    picture = Image.new("RGB", SIZE, sky)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, HORIZON, SIZE[0], SIZE[1]), fill=ground)
    DRAWINGS[topic](draw, rng)
    data = io.BytesIO()
    picture.resize(SAVED, Image.Resampling.LANCZOS).save(data, "JPEG", quality=80)
    return data.getvalue()


def alt(topic: str) -> str:
    return ALT[topic]


def _shade(rng: random.Random, colour: tuple[int, int, int], spread: int = 25) -> tuple[int, int, int]:
    return tuple(max(0, min(255, part + rng.randint(-spread, spread))) for part in colour)


def _sun(draw, rng, x=None, y=70, radius=40):
    x = x if x is not None else rng.randint(520, 720)
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(250, 210, 70))


def _building(draw, left, top, right, roof, wall=(235, 225, 200)):
    draw.rectangle((left, top, right, HORIZON + 40), fill=wall, outline=(90, 80, 70), width=3)
    draw.polygon(((left - 20, top), ((left + right) // 2, top - 60), (right + 20, top)), fill=roof)
    for x in range(left + 25, right - 30, 60):
        for y in range(top + 25, HORIZON, 70):
            draw.rectangle((x, y, x + 30, y + 40), fill=(120, 170, 210), outline=(90, 80, 70), width=2)


def _meetings(draw, rng):
    draw.rectangle((0, 0, SIZE[0], HORIZON), fill=_shade(rng, (190, 40, 40), 15))  # the stage's backdrop
    draw.rectangle((250, 40, 550, 90), fill=(240, 200, 60))  # the meeting's banner
    draw.rectangle((150, 220, 650, 290), fill=(200, 30, 30), outline=(120, 20, 20), width=3)  # the chair's table
    for x in range(190, 640, 90):
        draw.ellipse((x, 170, x + 40, 210), fill=(60, 45, 40))
        draw.line((x + 20, 220, x + 20, 200), fill=(30, 30, 30), width=3)  # microphones
    draw.rectangle((680, 200, 740, 300), fill=(150, 90, 50))  # the lectern
    for row in range(3):
        for x in range(40, 780, 70):
            draw.rectangle((x, 320 + row * 40, x + 50, 345 + row * 40), fill=(70, 70, 110))


def _agriculture(draw, rng):
    _sun(draw, rng)
    draw.polygon(((0, HORIZON), (160, 190), (330, HORIZON)), fill=(80, 120, 90))
    draw.polygon(((250, HORIZON), (450, 170), (650, HORIZON)), fill=(70, 110, 85))
    for row in range(HORIZON + 12, SIZE[1], 22):
        draw.line((0, row, SIZE[0], row), fill=(60, 130, 50), width=4)
    for x in range(0, SIZE[0], 160):
        draw.line((x, HORIZON, x + 60, SIZE[1]), fill=(130, 110, 70), width=5)  # the fields' banks


def _reform(draw, rng):
    draw.rectangle((0, 0, SIZE[0], HORIZON), fill=_shade(rng, (225, 230, 235), 10))
    draw.rectangle((100, 250, 700, 330), fill=(160, 110, 70), outline=(100, 70, 40), width=3)  # the counter
    draw.rectangle((180, 130, 340, 240), fill=(40, 40, 50))
    draw.rectangle((190, 140, 330, 230), fill=_shade(rng, (90, 160, 220)))  # the screen
    draw.rectangle((250, 240, 270, 252), fill=(40, 40, 50))
    for index in range(6):
        draw.rectangle((450, 232 - index * 10, 580, 242 - index * 10), fill=(250, 250, 245), outline=(150, 150, 150))
    draw.rectangle((300, 30, 500, 80), fill=(20, 90, 160))  # the one-stop office's sign


def _health(draw, rng):
    _sun(draw, rng, x=100)
    _building(draw, 250, 150, 560, roof=(40, 130, 110))
    draw.rectangle((385, 60, 425, 150), fill=(220, 30, 40))
    draw.rectangle((360, 85, 450, 125), fill=(220, 30, 40))  # the red cross
    draw.rectangle((600, 280, 760, 350), fill=(245, 245, 245), outline=(200, 40, 40), width=4)  # the ambulance
    for x in (630, 730):
        draw.ellipse((x - 15, 340, x + 15, 370), fill=(30, 30, 30))


def _schools(draw, rng):
    _sun(draw, rng)
    _building(draw, 180, 140, 600, roof=(180, 70, 50), wall=(245, 220, 120))
    draw.line((680, 100, 680, HORIZON + 20), fill=(90, 90, 90), width=5)  # the flagpole
    draw.rectangle((682, 100, 742, 140), fill=(218, 37, 29))
    draw.polygon(((712, 108), (716, 120), (728, 120), (718, 127), (722, 138), (712, 131), (702, 138), (706, 127),
                  (696, 120), (708, 120)), fill=(255, 221, 0))
    for x in (60, 120, 760):
        draw.ellipse((x - 30, 220, x + 30, 290), fill=(50, 130, 60))
        draw.rectangle((x - 5, 285, x + 5, HORIZON + 20), fill=(110, 80, 50))


def _festivals(draw, rng):
    for x, y in ((100, 60), (300, 40), (500, 70), (700, 50), (200, 120), (620, 130)):
        draw.ellipse((x, y, x + 3, y + 3), fill=(255, 255, 220))  # stars
    draw.line((0, 150, SIZE[0], 170), fill=(60, 50, 40), width=3)
    for index, x in enumerate(range(40, SIZE[0], 95)):
        colour = (220, 40, 40) if index % 2 else (245, 190, 40)
        draw.line((x + 25, 158, x + 25, 175), fill=(60, 50, 40), width=2)
        draw.ellipse((x, 175, x + 50, 240), fill=colour, outline=(120, 30, 20), width=2)  # lanterns
    draw.rectangle((220, 260, 580, 320), fill=(150, 30, 40))  # the stage
    draw.polygon(((200, 260), (400, 215), (600, 260)), fill=(200, 150, 40))


def _floods(draw, rng):
    draw.rectangle((0, 0, SIZE[0], HORIZON), fill=_shade(rng, (130, 140, 150), 15))  # the rainy sky
    _building(draw, 300, 170, 500, roof=(150, 60, 40))
    for row in range(260, SIZE[1], 18):
        draw.rectangle((0, row, SIZE[0], row + 9), fill=(120, 100, 60))
        draw.rectangle((0, row + 9, SIZE[0], row + 18), fill=(140, 120, 80))  # the flood water
    draw.polygon(((560, 300), (720, 300), (690, 330), (590, 330)), fill=(230, 120, 30))  # the rescue boat
    for _ in range(60):
        x, y = rng.randint(0, SIZE[0]), rng.randint(0, 250)
        draw.line((x, y, x - 6, y + 18), fill=(200, 210, 225), width=2)


def _digital(draw, rng):
    _building(draw, 80, 170, 300, roof=(170, 40, 40))
    draw.rounded_rectangle((400, 120, 480, 260), radius=12, fill=(30, 30, 40))
    draw.rectangle((408, 135, 472, 240), fill=_shade(rng, (90, 170, 230)))  # the phone
    draw.rectangle((560, 140, 740, 250), fill=(30, 30, 40))
    draw.rectangle((570, 150, 730, 240), fill=_shade(rng, (90, 170, 230)))  # the computer
    draw.rectangle((620, 250, 680, 275), fill=(60, 60, 70))
    for start, end in (((300, 200), (400, 190)), ((480, 190), (560, 195))):
        draw.line((*start, *end), fill=(40, 120, 200), width=5)  # the network


def _environment(draw, rng):
    _sun(draw, rng)
    draw.polygon(((330, HORIZON), (470, HORIZON), (620, SIZE[1]), (180, SIZE[1])), fill=(170, 160, 150))  # the road
    for x, y in ((80, 250), (200, 240), (620, 240), (740, 250)):
        draw.ellipse((x - 45, y - 90, x + 45, y + 10), fill=_shade(rng, (50, 140, 60), 15))
        draw.rectangle((x - 7, y, x + 7, y + 70), fill=(110, 80, 50))
    for x, colour in ((520, (40, 140, 70)), (560, (240, 180, 30)), (600, (60, 110, 190))):
        draw.rectangle((x, 330, x + 32, 380), fill=colour, outline=(40, 40, 40), width=2)  # sorted bins
    for x in (250, 320, 420):
        draw.ellipse((x - 12, 300, x + 12, 324), fill=(230, 190, 150))
        draw.rectangle((x - 14, 324, x + 14, 375), fill=(30, 100, 170))  # people in blue shirts
        draw.line((x + 14, 335, x + 40, 395), fill=(150, 110, 60), width=4)  # their brooms


DRAWINGS = {"meetings": _meetings, "agriculture": _agriculture, "reform": _reform, "health": _health,
            "schools": _schools, "festivals": _festivals, "floods": _floods, "digital": _digital,
            "environment": _environment}
