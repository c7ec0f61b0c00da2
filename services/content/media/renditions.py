"""Uploaded images: decoded safely, and resized into the renditions pages show.

Renditions are WebP rather than JPEG: at the same visual quality they are 25-34% smaller,
which matters on the mobile connections many citizens use, and WebP keeps
transparency, so a PNG logo or seal does not end up on a black or white box. Every current
browser shows WebP; the original stays available for anything that does not.

A rendition is the privacy-safe copy of a photo: the camera's orientation is applied to the
pixels, then all EXIF (GPS position, camera serial, time) and XMP are left behind, because the
WebP encoder writes only the metadata it is given and it is given only the colour profile.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from services.common.errors import InvalidInput

CONTENT_TYPE = "image/webp"
EXTENSION = "webp"
QUALITY = 82
# Only the decoders of the allowed image types are ever run on uploaded bytes.
DECODERS = ["JPEG", "PNG", "WEBP", "GIF"]


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes
    content_type: str = CONTENT_TYPE


def open_image(data: bytes, max_pixels: int) -> Image.Image:
    """The fully decoded image, turned upright; InvalidInput if it is damaged or too large.

    The pixel count is read from the header and checked before decoding, so a small file that
    would expand to gigabytes in memory (a decompression bomb) is refused without expanding it.
    """
    try:
        image = Image.open(io.BytesIO(data), formats=DECODERS)
    except Image.DecompressionBombError:
        raise _too_many_pixels(max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _damaged() from None
    if image.width * image.height > max_pixels:
        raise _too_many_pixels(max_pixels)
    try:
        # A truncated or corrupt image fails here, while its pixels are decoded.
        image.load()
        return ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _damaged() from None


def renditions(image: Image.Image, widths: tuple[int, ...]) -> Iterator[tuple[str, Rendition]]:
    """(width as text, rendition) for each width the image reaches; never scaled up."""
    source = _full_colour(image)
    for width in widths:
        if width <= image.width:
            yield str(width), render(source, width, image.info.get("icc_profile"))


def render(image: Image.Image, width: int, icc_profile: bytes | None) -> Rendition:
    height = max(1, round(image.height * width / image.width))
    resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    output = io.BytesIO()
    resized.save(output, "WEBP", quality=QUALITY, icc_profile=icc_profile)
    return Rendition(width, height, output.getvalue())


def _full_colour(image: Image.Image) -> Image.Image:
    """8-bit RGB, or RGBA when the image has transparency: what resizes smoothly (palette
    images would be resized by nearest neighbour) and what the WebP encoder takes."""
    if image.mode.startswith("I"):
        # 16-bit greyscale (scanners, some PNG exports): convert() would clip it to white, so scale it.
        image = image.convert("I").point(lambda value: value * (1 / 256), "L")
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _too_many_pixels(max_pixels: int) -> InvalidInput:
    return InvalidInput(f"The image has more than {max_pixels / 1e6:g} megapixels; reduce it before uploading",
                        {"file": "too many pixels"})


def _damaged() -> InvalidInput:
    return InvalidInput("The image is damaged or incomplete and cannot be read", {"file": "damaged"})
