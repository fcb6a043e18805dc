"""The demo's diagrams, drawn by this code with Pillow (no image comes from elsewhere), for
``seed_demo``: where breast cancer commonly spreads, the lines of treatment over time, how an
implanted port sits under the skin, and the four subtypes by hormone receptor and HER2 status.

Each is drawn as a PNG and goes through the same checks and storage as an upload
(``images.renditions.store_image``). Demo bodies name them as ``image:{key}``, replaced by
the stored image's id at seed time (``with_image_ids``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 800
INK = (33, 37, 41)
MUTED = (90, 98, 110)
PAPER = (255, 255, 255)
ACCENT = (176, 42, 90)
SOFT = (246, 226, 234)
BLUE = (38, 94, 160)
PALE_BLUE = (224, 236, 248)
CREDIT = "MBC Info demo"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _canvas(title: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.text((WIDTH // 2, 48), title, fill=INK, font=_font(40), anchor="mm")
    return image, draw


def _label(draw: ImageDraw.ImageDraw, point, text_at, lines: list[str]) -> None:
    """A dot at ``point``, a leader line to ``text_at`` and the label's lines there."""
    x, y = point
    draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill=ACCENT)
    draw.line((point, text_at), fill=MUTED, width=3)
    tx, ty = text_at
    anchor = "ls" if tx > x else "rs"
    for index, line in enumerate(lines):
        draw.text(
            (tx + (10 if tx > x else -10), ty + 6 + index * 34),
            line,
            fill=INK if index == 0 else MUTED,
            font=_font(30 if index == 0 else 24),
            anchor=anchor,
        )


def sites_of_spread() -> Image.Image:
    image, draw = _canvas("Where breast cancer most often spreads")
    outline = {"outline": INK, "width": 5}
    cx = WIDTH // 2
    draw.ellipse((cx - 60, 110, cx + 60, 240), **outline)  # head
    draw.rounded_rectangle((cx - 130, 260, cx + 130, 560), radius=60, **outline)  # trunk
    draw.line((cx - 130, 300, cx - 200, 520), fill=INK, width=5)  # arms
    draw.line((cx + 130, 300, cx + 200, 520), fill=INK, width=5)
    draw.line((cx - 60, 560, cx - 80, 760), fill=INK, width=5)  # legs
    draw.line((cx + 60, 560, cx + 80, 760), fill=INK, width=5)
    draw.ellipse((cx - 100, 290, cx - 20, 400), fill=PALE_BLUE, outline=BLUE, width=3)  # lungs
    draw.ellipse((cx + 20, 290, cx + 100, 400), fill=PALE_BLUE, outline=BLUE, width=3)
    draw.ellipse((cx + 10, 410, cx + 115, 470), fill=SOFT, outline=ACCENT, width=3)  # liver
    draw.line((cx, 270, cx, 550), fill=MUTED, width=6)  # spine
    _label(draw, (cx, 160), (cx - 300, 150), ["Brain", "headache, vision change"])
    _label(draw, (cx - 60, 345), (cx - 320, 330), ["Lungs", "cough, breathlessness"])
    _label(draw, (cx + 65, 440), (cx + 310, 430), ["Liver", "jaundice, nausea"])
    _label(draw, (cx, 520), (cx + 310, 600), ["Bones", "pain, fractures"])
    return image


def treatment_timeline() -> Image.Image:
    image, draw = _canvas("Lines of treatment over time")
    draw.line((80, 420, 1110, 420), fill=INK, width=6)
    draw.polygon([(1130, 420), (1100, 400), (1100, 440)], fill=INK)
    draw.text((1120, 470), "time", fill=MUTED, font=_font(26), anchor="rm")
    steps = [
        ("First line", ["Hormone therapy", "with a CDK4/6", "inhibitor"]),
        ("Second line", ["Another hormone", "therapy or a", "targeted drug"]),
        ("Third line", ["Chemotherapy or", "an antibody-drug", "conjugate"]),
    ]
    for index, (name, lines) in enumerate(steps):
        left = 100 + index * 340
        draw.rounded_rectangle(
            (left, 150, left + 300, 380), radius=24, fill=SOFT, outline=ACCENT, width=4
        )
        draw.text((left + 150, 190), name, fill=INK, font=_font(34), anchor="mm")
        for row, line in enumerate(lines):
            draw.text((left + 150, 250 + row * 36), line, fill=INK, font=_font(26), anchor="mm")
        draw.ellipse((left + 136, 406, left + 164, 434), fill=ACCENT)
        if index:
            draw.text(
                (left - 20, 520),
                "cancer grows",
                fill=MUTED,
                font=_font(24),
                anchor="mm",
            )
            draw.line((left - 20, 490, left - 20, 440), fill=MUTED, width=3)
    draw.text(
        (WIDTH // 2, 650),
        "A new line starts when the cancer grows or side effects are too hard.",
        fill=INK,
        font=_font(28),
        anchor="mm",
    )
    return image


def implanted_port() -> Image.Image:
    image, draw = _canvas("An implanted port under the skin")
    draw.rectangle((80, 200, 1120, 250), fill=SOFT, outline=ACCENT, width=3)  # skin
    draw.rectangle((80, 250, 1120, 420), fill=(253, 244, 222))  # fat
    draw.rectangle((80, 420, 1120, 700), fill=(250, 236, 236))  # muscle
    draw.rounded_rectangle((420, 270, 620, 380), radius=30, fill=PALE_BLUE, outline=BLUE, width=5)
    draw.line((620, 330, 900, 330, 960, 520, 1120, 520), fill=BLUE, width=10, joint="curve")
    draw.rectangle((940, 490, 1120, 550), outline=ACCENT, width=4)  # vein
    draw.line((520, 110, 520, 300), fill=INK, width=6)  # needle
    draw.polygon([(510, 300), (530, 300), (520, 320)], fill=INK)
    for (x, y), lines in [
        ((540, 130), ["Needle through the skin", "into the port"]),
        ((120, 230), ["Skin"]),
        ((120, 330), ["Port chamber"]),
        ((700, 300), ["Thin tube (catheter)"]),
        ((700, 600), ["Large vein near the heart"]),
        ((120, 395), ["Fat under the skin"]),
    ]:
        for row, line in enumerate(lines):
            draw.text((x, y + row * 34), line, fill=INK, font=_font(28), anchor="lm")
    draw.line((300, 330, 420, 330), fill=MUTED, width=3)
    return image


def subtype_grid() -> Image.Image:
    image, draw = _canvas("Breast cancer subtypes and their main treatments")
    draw.text((700, 120), "HER2-positive", fill=INK, font=_font(30), anchor="mm")
    draw.text((1000, 120), "HER2-negative", fill=INK, font=_font(30), anchor="mm")
    draw.text((260, 290), "Hormone receptor", fill=INK, font=_font(28), anchor="mm")
    draw.text((260, 325), "positive", fill=INK, font=_font(28), anchor="mm")
    draw.text((260, 540), "Hormone receptor", fill=INK, font=_font(28), anchor="mm")
    draw.text((260, 575), "negative", fill=INK, font=_font(28), anchor="mm")
    cells = [
        ((560, 160), ["HER2-targeted", "drugs, often with", "hormone therapy"]),
        ((860, 160), ["Hormone therapy", "with a CDK4/6", "inhibitor"]),
        ((560, 420), ["HER2-targeted", "drugs with", "chemotherapy"]),
        ((860, 420), ["Triple-negative:", "chemotherapy,", "immunotherapy"]),
    ]
    for (left, top), lines in cells:
        fill, outline = (SOFT, ACCENT) if lines[0].startswith("Triple") else (PALE_BLUE, BLUE)
        draw.rectangle((left, top, left + 280, top + 240), fill=fill, outline=outline, width=4)
        for row, line in enumerate(lines):
            draw.text(
                (left + 140, top + 80 + row * 40), line, fill=INK, font=_font(28), anchor="mm"
            )
    return image


@dataclass(frozen=True)
class DemoImage:
    key: str
    title: str
    alt_text: str
    caption: str
    draw: Callable[[], Image.Image]

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.draw().save(buffer, "PNG")
        return buffer.getvalue()


DIAGRAMS = [
    DemoImage(
        key="sites-of-spread",
        title="Diagram: common sites of spread",
        alt_text="Outline of a person with four places marked where breast cancer most often "
        "spreads: the brain (headache, vision change), the lungs (cough, breathlessness), the "
        "liver (jaundice, nausea) and the bones (pain, fractures).",
        caption="The most common places breast cancer spreads to, and signs to report.",
        draw=sites_of_spread,
    ),
    DemoImage(
        key="treatment-timeline",
        title="Diagram: lines of treatment",
        alt_text="A timeline with three boxes in order. First line: hormone therapy with a "
        "CDK4/6 inhibitor. Second line: another hormone therapy or a targeted drug. Third "
        "line: chemotherapy or an antibody-drug conjugate. Each new line starts when the "
        "cancer grows.",
        caption="An example of how treatments follow one another over time.",
        draw=treatment_timeline,
    ),
    DemoImage(
        key="implanted-port",
        title="Diagram: implanted port",
        alt_text="Cross-section of the chest wall: a small port chamber sits in the fat just "
        "under the skin, a needle passes through the skin into it, and a thin tube runs from "
        "the port to a large vein near the heart.",
        caption="A port lets a nurse give treatment without finding a new vein each time.",
        draw=implanted_port,
    ),
    DemoImage(
        key="subtype-grid",
        title="Diagram: subtypes by hormone receptor and HER2 status",
        alt_text="A two-by-two grid of hormone receptor and HER2 status. Both positive: HER2 "
        "drugs, often with hormone therapy. Receptor positive only: hormone therapy with a "
        "CDK4/6 inhibitor. HER2-positive only: HER2 drugs with chemotherapy. Triple-negative: "
        "chemotherapy and immunotherapy.",
        caption="How receptor status guides the main treatment.",
        draw=subtype_grid,
    ),
]

PLACEHOLDER_RE = re.compile(r"image:\{([a-z0-9-]+)\}")


def with_image_ids(text: str, ids: dict[str, int]) -> str:
    """``text`` with each ``image:{key}`` replaced by ``image:<id>`` of that diagram."""
    return PLACEHOLDER_RE.sub(lambda match: f"image:{ids[match.group(1)]}", text)
