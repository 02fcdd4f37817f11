#!/usr/bin/env python3
"""Draws the Twofold icon and writes every size the Tauri bundler asks for.

Run from the repository root: `python3 icons/make_icons.py` (needs Pillow).
The icon: a rounded tile with a countdown ring around two stacked code bars,
the "two folds" of a second factor.
"""
from PIL import Image, ImageDraw

S = 1024


def tile():
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    # Vertical gradient from indigo to teal, clipped to a rounded square.
    grad = Image.new("RGBA", (S, S))
    top, bottom = (67, 56, 202), (13, 148, 136)
    px = grad.load()
    for y in range(S):
        t = y / (S - 1)
        c = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)) + (255,)
        for x in range(S):
            px[x, y] = c
    mask = Image.new("L", (S, S), 0)
    ImageDraw.Draw(mask).rounded_rectangle((64, 64, S - 64, S - 64), radius=200, fill=255)
    img.paste(grad, (0, 0), mask)
    d = ImageDraw.Draw(img)
    # Countdown ring: most of a circle, the remaining part dimmed.
    box = (232, 232, S - 232, S - 232)
    d.arc(box, start=-90, end=200, fill=(255, 255, 255, 255), width=56)
    d.arc(box, start=200, end=270, fill=(255, 255, 255, 90), width=56)
    # Two code bars.
    d.rounded_rectangle((372, 400, 652, 480), radius=40, fill=(255, 255, 255, 255))
    d.rounded_rectangle((372, 544, 652, 624), radius=40, fill=(255, 255, 255, 200))
    return img


def main():
    big = tile()
    def sized(n):
        return big.resize((n, n), Image.LANCZOS)
    # Every size of the freedesktop hicolor theme the Linux packages install.
    for n in (16, 24, 32, 48, 64, 128, 256, 512):
        sized(n).save(f"icons/{n}x{n}.png")
    sized(256).save("icons/128x128@2x.png")
    sized(512).save("icons/icon.png")
    big.save("icons/icon.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    big.save("icons/icon.icns")


if __name__ == "__main__":
    main()
