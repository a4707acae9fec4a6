"""The markdownx editor's two endpoints, mounted here instead of markdownx.urls.

markdownx's own views have no login check and trust the client's content type; these check the user, cap the
input, and accept only real JPEG, PNG or WebP images, re-encoded without metadata under a name we choose.
Editors may use both. Members with a verified e-mail may preview what they write in Markdown, within a
member's text cap and a per-member rate limit; image upload stays with editors.

The apps whose members write Markdown register those fields and their caps in their AppConfig.ready()
(``editor.register_member_field("testimonials.Testimonial.narrative", max_length=...)``): a member's preview
takes text up to the longest of them, so this shared module names no app.
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_POST
from PIL import Image, ImageOps, UnidentifiedImageError

from .accounts.verified import has_verified_email
from .markdown import MAX_LENGTH, render
from .privileges import privileges
from .ratelimit import is_limited

# Pillow format name -> (the format we write, the extension we give the stored file). Phones save many
# photos as multi-picture JPEG ("MPO"): the first picture is kept, as an ordinary JPEG.
IMAGE_FORMATS = {
    "JPEG": ("JPEG", "jpg"),
    "MPO": ("JPEG", "jpg"),
    "PNG": ("PNG", "png"),
    "WEBP": ("WEBP", "webp"),
}


# Markdown fields that members (not only editors) write, and their caps in characters.
_member_fields: dict[str, int] = {}


def register_member_field(name: str, *, max_length: int) -> None:
    if name in _member_fields:
        raise ValueError(f"The Markdown field {name!r} is already registered with the editor.")
    _member_fields[name] = max_length


def member_max_length() -> int:
    """How long a member's text may be for a preview: the longest field members write (0: none)."""
    return max(_member_fields.values(), default=0)


class ImageRejected(Exception):
    pass


def _acts_as_editor(request: HttpRequest) -> bool:
    return privileges(request).is_editor


def _require_editor(request: HttpRequest) -> None:
    if not _acts_as_editor(request):
        raise PermissionDenied("Only editors can upload images, after the two-factor step.")


@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied("Log in to use the Markdown preview.")
    max_length = MAX_LENGTH
    if not _acts_as_editor(request):
        if not has_verified_email(user):
            raise PermissionDenied("Confirm your e-mail address to use the Markdown preview.")
        if not member_max_length():
            raise PermissionDenied("Members write no Markdown here: the preview is for editors.")
        limit, period = getattr(settings, "EDITOR_PREVIEW_RATE_MEMBER", (30, 60))
        if is_limited(f"markdown-preview:{user.pk}", limit=limit, period=period):
            return HttpResponse(
                "<p>The preview pauses for a moment: it was asked for very often. Your text is not affected; "
                "the preview comes back within a minute.</p>",
                status=429,
            )
        max_length = member_max_length()
    content = request.POST.get("content", "")
    if len(content) > max_length:
        return HttpResponse(
            f"<p>This text is longer than {max_length:,} characters; shorten it to see a preview.</p>",
            status=400,
        )
    return HttpResponse(render(content))


def reencode_image(upload) -> tuple[bytes, str]:
    """Return the image's pixels re-encoded (no EXIF, no trailing data) and the extension for its format."""
    if upload.size > settings.IMAGE_UPLOAD_MAX_BYTES:
        limit = filesizeformat(settings.IMAGE_UPLOAD_MAX_BYTES)
        raise ImageRejected(f"This image is too large: the limit is {limit}.")
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRejected("This file is not a JPEG, PNG or WebP image.") from exc
    if image_format not in IMAGE_FORMATS:
        raise ImageRejected("Only JPEG, PNG and WebP images can be uploaded.")
    if width * height > settings.IMAGE_UPLOAD_MAX_PIXELS:
        raise ImageRejected("This image has too many pixels: please resize it before uploading.")
    write_format, extension = IMAGE_FORMATS[image_format]
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if write_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            # Pillow's JPEG writer copies the source's COM comment from image.info unless told otherwise.
            image.info.pop("comment", None)
            output = io.BytesIO()
            image.save(output, format=write_format)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRejected("This image could not be read: it may be damaged.") from exc
    return output.getvalue(), extension


@require_POST
def upload_image(request: HttpRequest) -> JsonResponse:
    _require_editor(request)
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["Choose an image file to upload."]}, status=400)
    try:
        content, extension = reencode_image(upload)
    except ImageRejected as exc:
        return JsonResponse({"image": [str(exc)]}, status=400)
    name = default_storage.save(
        f"{settings.MARKDOWNX_MEDIA_PATH}{uuid.uuid4().hex}.{extension}", ContentFile(content)
    )
    return JsonResponse({"image_code": f"![]({default_storage.url(name)})"})
