"""Uploaded photos, made safe: only real images, within the caller's size limits, re-encoded as JPEG — which drops
EXIF and every other piece of metadata (where and when it was taken, the device) and any payload hidden in the file.

Shared by every app that stores a photo (audit evidence, the counter's clerk cards); each passes its own limits
(policies), so the kernel reads no app's policy."""

from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP"}
JPEG_QUALITY = 85


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    width: int
    height: int


def _read_within(upload, max_kb: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is None or size > max_kb * 1024:
        raise ValidationError(_("The photo is larger than %(limit)s KB.") % {"limit": max_kb})
    raw = upload.read()
    if len(raw) > max_kb * 1024:
        raise ValidationError(_("The photo is larger than %(limit)s KB.") % {"limit": max_kb})
    return raw


def image_clean(upload, *, max_kb: int, max_megapixels: int, max_side: int) -> CleanImage:
    """The upload as a clean JPEG no larger than `max_side` pixels a side, or a ValidationError in the user's
    language (not an image, too large in bytes or in pixels)."""
    raw = _read_within(upload, max_kb)
    try:
        with Image.open(BytesIO(raw)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("This file is not a photo (JPEG, PNG or WebP)."))
            if probe.width * probe.height > max_megapixels * 1_000_000:
                raise ValidationError(_("The photo has too many pixels."))
            probe.verify()
        with Image.open(BytesIO(raw)) as image:
            image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF said, then drop the EXIF
            image = image.convert("RGB")
            image.thumbnail((max_side, max_side))
            out = BytesIO()
            image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This file is not a photo (JPEG, PNG or WebP).")) from exc
    return CleanImage(data=out.getvalue(), width=image.width, height=image.height)
