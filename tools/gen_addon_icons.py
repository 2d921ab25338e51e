#!/usr/bin/env python3
"""Draw each addon's Apps icon, static/description/icon.png (128 x 128), with Pillow.

    python tools/gen_addon_icons.py             # every addon listed in ICONS
    python tools/gen_addon_icons.py ADDON...    # only these

Repeatable: the same Pillow writes the same bytes. One colour and one glyph per addon, drawn
four times larger and scaled down for smooth edges.
"""
import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent
SIZE, SCALE = 128, 4
WHITE, ORANGE = (255, 255, 255, 255), (255, 153, 0, 255)


def _smile(d, box, width):
    """Amazon's smile: an arc under the glyph, ending in an arrow head on the right."""
    d.arc(box, 20, 160, fill=ORANGE, width=width)
    x1, y1, x2, y2 = box
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    # end of the arc at 20 degrees (right-hand side)
    ex = cx + (x2 - x1) / 2 * math.cos(math.radians(20))
    ey = cy + (y2 - y1) / 2 * math.sin(math.radians(20))
    d.polygon([(ex - 4 * width, ey - width), (ex + 2 * width, ey - 3 * width),
               (ex + width, ey + 3 * width)], fill=ORANGE)


def core(d, s):
    # a parcel with the smile under it
    d.polygon([(40 * s, 34 * s), (88 * s, 34 * s), (96 * s, 48 * s), (32 * s, 48 * s)],
              fill=WHITE)
    d.rectangle([32 * s, 50 * s, 96 * s, 86 * s], fill=WHITE)
    d.rectangle([58 * s, 34 * s, 70 * s, 62 * s], fill=ORANGE)
    _smile(d, [30 * s, 62 * s, 98 * s, 104 * s], 5 * s)


def forecast(d, s):
    for i, h in enumerate([22, 34, 28, 46, 58]):
        x = 26 + i * 16
        d.rectangle([x * s, (96 - h) * s, (x + 11) * s, 96 * s], fill=WHITE)
    d.line([(28 * s, 66 * s), (48 * s, 52 * s), (64 * s, 58 * s), (84 * s, 36 * s),
            (102 * s, 24 * s)], fill=ORANGE, width=5 * s, joint="curve")
    d.rectangle([22 * s, 100 * s, 106 * s, 104 * s], fill=WHITE)


def edi(d, s):
    # a document with two arrows going each way
    d.rectangle([40 * s, 22 * s, 88 * s, 84 * s], fill=WHITE)
    for y in (36, 48, 60):
        d.rectangle([48 * s, y * s, 80 * s, (y + 4) * s], fill=(120, 120, 140, 255))
    d.rectangle([22 * s, 92 * s, 92 * s, 98 * s], fill=ORANGE)
    d.polygon([(92 * s, 84 * s), (108 * s, 95 * s), (92 * s, 106 * s)], fill=ORANGE)
    d.rectangle([36 * s, 104 * s, 106 * s, 110 * s], fill=WHITE)
    d.polygon([(36 * s, 96 * s), (20 * s, 107 * s), (36 * s, 118 * s)], fill=WHITE)


def payments(d, s):
    # a banknote and a coin
    d.rounded_rectangle([18 * s, 36 * s, 94 * s, 84 * s], radius=6 * s, fill=WHITE)
    d.ellipse([44 * s, 48 * s, 68 * s, 72 * s], outline=(30, 120, 90, 255), width=4 * s)
    d.ellipse([70 * s, 62 * s, 110 * s, 102 * s], fill=ORANGE)
    d.ellipse([78 * s, 70 * s, 102 * s, 94 * s], outline=WHITE, width=3 * s)


def pricing(d, s):
    # a price tag with its hole and a percent sign
    d.polygon([(30 * s, 30 * s), (70 * s, 30 * s), (104 * s, 64 * s), (70 * s, 98 * s),
               (30 * s, 58 * s)], fill=WHITE)
    d.ellipse([38 * s, 38 * s, 50 * s, 50 * s], fill=(160, 30, 60, 255))
    d.ellipse([58 * s, 52 * s, 68 * s, 62 * s], outline=ORANGE, width=3 * s)
    d.ellipse([74 * s, 68 * s, 84 * s, 78 * s], outline=ORANGE, width=3 * s)
    d.line([(80 * s, 52 * s), (62 * s, 78 * s)], fill=ORANGE, width=4 * s)


def dashboard(d, s):
    # four tiles, one holding a gauge
    for x, y in ((22, 22), (68, 22), (22, 68), (68, 68)):
        d.rounded_rectangle([x * s, y * s, (x + 38) * s, (y + 38) * s], radius=5 * s,
                            fill=WHITE)
    d.pieslice([26 * s, 30 * s, 56 * s, 60 * s], 180, 300, fill=ORANGE)
    for i, h in enumerate([12, 20, 28]):
        x = 74 + i * 10
        d.rectangle([x * s, (102 - h) * s, (x + 6) * s, 102 * s], fill=ORANGE)
    d.line([(72 * s, 50 * s), (84 * s, 38 * s), (92 * s, 44 * s), (102 * s, 30 * s)],
           fill=ORANGE, width=4 * s)
    d.rectangle([28 * s, 80 * s, 54 * s, 84 * s], fill=ORANGE)
    d.rectangle([28 * s, 90 * s, 46 * s, 94 * s], fill=ORANGE)


def sms(d, s):
    # a speech bubble with three dots
    d.rounded_rectangle([20 * s, 28 * s, 108 * s, 86 * s], radius=14 * s, fill=WHITE)
    d.polygon([(40 * s, 84 * s), (36 * s, 106 * s), (62 * s, 84 * s)], fill=WHITE)
    for x in (42, 64, 86):
        d.ellipse([(x - 7) * s, 50 * s, (x + 7) * s, 64 * s], fill=ORANGE)


def direct_fulfillment(d, s):
    # a parcel (box with tape) and a motion arrow: shipped straight to the customer
    d.rectangle([44 * s, 36 * s, 104 * s, 92 * s], fill=WHITE)
    d.rectangle([70 * s, 36 * s, 78 * s, 92 * s], fill=ORANGE)
    for y in (48, 62, 76):
        d.rectangle([14 * s, y * s, 36 * s, (y + 4) * s], fill=WHITE)


# addon: (background colour, glyph)
ICONS = {
    "acorn_amazon_vendor": ((35, 47, 62), core),
    "acorn_amazon_vendor_forecast": ((30, 95, 140), forecast),
    "acorn_amazon_vendor_edi": ((80, 60, 130), edi),
    "acorn_amazon_vendor_payments": ((30, 120, 90), payments),
    "acorn_amazon_vendor_pricing": ((160, 30, 60), pricing),
    "acorn_amazon_vendor_dashboard": ((200, 100, 20), dashboard),
    "acorn_amazon_vendor_sms": ((20, 130, 150), sms),
    "acorn_amazon_vendor_direct_fulfillment": ((90, 110, 30), direct_fulfillment),
}


def draw(addon):
    colour, glyph = ICONS[addon]
    big = SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    d.rounded_rectangle([0, 0, big - 1, big - 1], radius=22 * SCALE, fill=(*colour, 255))
    glyph(d, SCALE)
    return image.resize((SIZE, SIZE), Image.LANCZOS)


def main(argv):
    for addon in argv or ICONS:
        if not (REPO / addon / "__manifest__.py").is_file():
            print(f"skipped {addon}: no such addon")
            continue
        target = REPO / addon / "static" / "description" / "icon.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        draw(addon).save(target, optimize=True)
        print(f"wrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main(sys.argv[1:])
