"""Photo evidence: only real images, within the audit's size limits (policies), re-encoded as JPEG by the kernel's
`core.images.image_clean` — which drops EXIF and every other piece of metadata and any payload hidden in the file."""

from supply_service.core.images import ACCEPTED_FORMATS, JPEG_QUALITY, CleanImage
from supply_service.core.images import image_clean as _image_clean
from supply_service.core.services.policy import policy_int

__all__ = ["ACCEPTED_FORMATS", "JPEG_QUALITY", "CleanImage", "image_clean"]


def image_clean(upload) -> CleanImage:
    """The upload as a clean JPEG no larger than the `audit_photo_max_side` policy, or a ValidationError in the
    user's language (not an image, too large in bytes or in pixels)."""
    return _image_clean(upload, max_kb=policy_int("audit_photo_max_kb"),
                        max_megapixels=policy_int("audit_photo_max_megapixels"),
                        max_side=policy_int("audit_photo_max_side"))
