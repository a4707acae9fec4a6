"""HTTP tests for the Markdown editor's preview and image-upload endpoints (``ldnsite.editor``).

Every request goes through the real URLconf and middleware with Django's test client. The autouse
``_isolated_media`` fixture points MEDIA_ROOT at a fresh tmp dir, so "nothing stored" means no file
at all under it.
"""

from __future__ import annotations

import html
import io
import os
import random
import re
import struct
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from ldnsite.markdown import MAX_LENGTH
from tests.html_safety import find_dangers, normalize_url, start_tags

PREVIEW_URL = "/markdownx/markdownify/"
UPLOAD_URL = "/markdownx/upload/"
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def _image_code_re(extension: str) -> re.Pattern[str]:
    return re.compile(rf"!\[\]\(/media/markdownx/([0-9a-f]{{32}})\.{extension}\)")


# --- helpers ---------------------------------------------------------------------------------------


def image_bytes(image_format: str, size=(8, 8), *, noisy: bool = False, **save_kwargs) -> bytes:
    """A real image in ``image_format`` made by Pillow in memory."""
    if noisy:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 30, 90))
    buf = io.BytesIO()
    image.save(buf, image_format, **save_kwargs)
    return buf.getvalue()


def png_with_garbage_pixel_data() -> bytes:
    """A PNG whose chunks and CRCs are valid but whose IDAT holds random bytes instead of zlib data."""
    whole = image_bytes("PNG", (32, 32))
    chunks, pos = [whole[:8]], 8
    garbage = random.Random(1)
    while pos < len(whole):
        (length,) = struct.unpack(">I", whole[pos : pos + 4])
        kind, body = whole[pos + 4 : pos + 8], whole[pos + 8 : pos + 8 + length]
        if kind == b"IDAT":
            body = bytes(garbage.randrange(256) for _ in body)
        chunks.append(struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body)))
        pos += 12 + length
    return b"".join(chunks)


def upload(client, content: bytes, name: str = "photo.png", content_type: str = "image/png"):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(UPLOAD_URL, {"image": file}, **AJAX)


def stored_files(settings) -> list[Path]:
    """Every file under MEDIA_ROOT (which may not exist yet)."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def stored_path(settings, response, extension: str) -> Path:
    """The file an accepted upload was stored as, checked against the returned ``image_code``."""
    assert response.status_code == 200, response.content
    code = response.json()["image_code"]
    match = _image_code_re(extension).fullmatch(code)
    assert match, code
    path = Path(settings.MEDIA_ROOT) / "markdownx" / f"{match.group(1)}.{extension}"
    assert path.is_file()
    assert stored_files(settings) == [path]
    return path


def rejection_message(response) -> str:
    assert response.status_code == 400, response.content
    messages = response.json()["image"]
    assert isinstance(messages, list)
    assert len(messages) == 1
    return messages[0]


# --- preview ---------------------------------------------------------------------------------------


def test_preview_refused_to_anonymous_reader(client, db):
    response = client.post(PREVIEW_URL, {"content": "**hello**"})
    assert response.status_code == 403
    assert b"<strong>hello</strong>" not in response.content


def test_preview_refused_to_unverified_member(client, make_user):
    client.force_login(make_user(verified=False))
    response = client.post(PREVIEW_URL, {"content": "**hello**"})
    assert response.status_code == 403
    assert b"<strong>hello</strong>" not in response.content


def test_a_members_preview_takes_text_up_to_the_longest_field_members_write(client, member, monkeypatch):
    """The cap comes from the fields the apps registered (a story's narrative), not from the editor's."""
    from ldnsite import editor

    client.force_login(member)
    longest = max(editor._member_fields.values())
    assert longest < MAX_LENGTH
    assert client.post(PREVIEW_URL, {"content": "a" * longest}).status_code == 200
    too_long = client.post(PREVIEW_URL, {"content": "a" * (longest + 1)})
    assert too_long.status_code == 400 and f"{longest:,} characters" in too_long.content.decode()

    monkeypatch.setitem(editor._member_fields, "tests.Longer.text", longest + 10)
    assert client.post(PREVIEW_URL, {"content": "a" * (longest + 1)}).status_code == 200


def test_without_fields_that_members_write_the_preview_is_for_editors_only(
    client, member, editor, monkeypatch
):
    from ldnsite import editor as endpoints

    monkeypatch.setattr(endpoints, "_member_fields", {})
    client.force_login(member)
    response = client.post(PREVIEW_URL, {"content": "**hello**"})
    assert response.status_code == 403 and b"<strong>hello</strong>" not in response.content
    client.force_login(editor)
    assert client.post(PREVIEW_URL, {"content": "**hello**"}).status_code == 200


def test_preview_renders_markdown_for_editor(client, editor):
    client.force_login(editor)
    response = client.post(PREVIEW_URL, {"content": "**hello**"})
    assert response.status_code == 200
    assert "<strong>hello</strong>" in response.content.decode()


def test_preview_strips_script_tags(client, editor):
    client.force_login(editor)
    response = client.post(PREVIEW_URL, {"content": "Hi <script>alert(1)</script> there"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hi" in body
    assert "<script" not in body.lower()
    assert find_dangers(body) == []


def test_preview_drops_javascript_link_target(client, editor):
    client.force_login(editor)
    response = client.post(PREVIEW_URL, {"content": "[x](javascript:alert(1))"})
    assert response.status_code == 200
    body = response.content.decode()
    hrefs = [attrs.get("href") or "" for _, attrs, _ in start_tags(body) if "href" in attrs]
    assert not any(normalize_url(href).startswith("javascript:") for href in hrefs)
    assert "javascript:" not in html.unescape(body).lower()
    assert find_dangers(body) == []


def test_preview_rejects_get(client, editor):
    client.force_login(editor)
    response = client.get(PREVIEW_URL, {"content": "**hello**"})
    assert response.status_code == 405


def test_preview_without_content_field_returns_empty_page(client, editor):
    client.force_login(editor)
    response = client.post(PREVIEW_URL, {})
    assert response.status_code == 200
    assert response.content.strip() == b""


def test_preview_refuses_content_over_max_length(client, editor):
    client.force_login(editor)
    response = client.post(PREVIEW_URL, {"content": "a" * (MAX_LENGTH + 1)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "longer than" in body
    assert f"{MAX_LENGTH:,}" in body


def test_preview_accepts_content_at_max_length(client, editor):
    client.force_login(editor)
    response = client.post(PREVIEW_URL, {"content": "a" * MAX_LENGTH})
    assert response.status_code == 200


# --- upload: who may upload ------------------------------------------------------------------------


def test_upload_refused_to_anonymous_reader(client, db, settings):
    response = upload(client, image_bytes("PNG"))
    assert response.status_code == 403
    assert stored_files(settings) == []


def test_upload_refused_to_member_outside_editors_group(client, member, settings):
    client.force_login(member)
    response = upload(client, image_bytes("PNG"))
    assert response.status_code == 403
    assert stored_files(settings) == []


# --- upload: accepted images -----------------------------------------------------------------------


def test_editor_uploads_png_and_gets_markdown_image_code(client, editor, settings):
    client.force_login(editor)
    response = upload(client, image_bytes("PNG", (12, 7)))
    path = stored_path(settings, response, "png")
    with Image.open(path) as stored:
        assert stored.format == "PNG"
        assert stored.size == (12, 7)


def test_uploaded_file_name_is_chosen_by_server_not_client(client, editor, settings):
    client.force_login(editor)
    response = upload(client, image_bytes("PNG"), name="../../evil name.php.png")
    path = stored_path(settings, response, "png")
    code = response.json()["image_code"]
    for fragment in ("evil", "name", "php", ".."):
        assert fragment not in path.name
        assert fragment not in code.removeprefix("![](/media/markdownx/")
    assert path.parent == Path(settings.MEDIA_ROOT) / "markdownx"


def test_jpeg_named_png_is_stored_with_jpg_extension(client, editor, settings):
    client.force_login(editor)
    response = upload(client, image_bytes("JPEG"), name="photo.png", content_type="image/png")
    path = stored_path(settings, response, "jpg")
    with Image.open(path) as stored:
        assert stored.format == "JPEG"


def test_phone_multi_picture_jpeg_is_stored_as_plain_jpeg(client, editor, settings):
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (8, 8), "red"), Image.new("RGB", (8, 8), "blue")
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    client.force_login(editor)
    response = upload(client, buffer.getvalue(), name="IMG_0001.jpg", content_type="image/jpeg")
    path = stored_path(settings, response, "jpg")
    with Image.open(path) as stored:
        assert stored.format == "JPEG"
        assert getattr(stored, "n_frames", 1) == 1


def test_jpeg_exif_metadata_is_removed(client, editor, settings):
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    original = image_bytes("JPEG", (16, 16), exif=exif.tobytes())
    assert b"SecretCameraMaker" in original
    client.force_login(editor)
    response = upload(client, original, name="photo.jpg", content_type="image/jpeg")
    path = stored_path(settings, response, "jpg")
    assert b"SecretCameraMaker" not in path.read_bytes()
    with Image.open(path) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info


def test_jpeg_comment_metadata_is_removed(client, editor, settings):
    original = image_bytes("JPEG", (16, 16), comment=b"SecretJpegComment")
    assert b"SecretJpegComment" in original
    client.force_login(editor)
    response = upload(client, original, name="photo.jpg", content_type="image/jpeg")
    path = stored_path(settings, response, "jpg")
    assert b"SecretJpegComment" not in path.read_bytes()
    with Image.open(path) as stored:
        assert "comment" not in stored.info


def test_png_exif_and_text_metadata_is_removed(client, editor, settings):
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "SecretPngText")
    original = image_bytes("PNG", (16, 16), exif=exif.tobytes(), pnginfo=text)
    assert b"SecretCameraMaker" in original and b"SecretPngText" in original
    client.force_login(editor)
    response = upload(client, original)
    path = stored_path(settings, response, "png")
    data = path.read_bytes()
    assert b"SecretCameraMaker" not in data
    assert b"SecretPngText" not in data
    with Image.open(path) as stored:
        assert dict(stored.getexif()) == {}


def test_editor_uploads_webp(client, editor, settings):
    client.force_login(editor)
    response = upload(client, image_bytes("WEBP"), name="photo.webp", content_type="image/webp")
    path = stored_path(settings, response, "webp")
    with Image.open(path) as stored:
        assert stored.format == "WEBP"


# --- upload: rejected files ------------------------------------------------------------------------


def test_svg_upload_rejected(client, editor, settings):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    client.force_login(editor)
    response = upload(client, svg, name="x.svg", content_type="image/svg+xml")
    message = rejection_message(response)
    assert "JPEG" in message and "PNG" in message and "WebP" in message
    assert stored_files(settings) == []


def test_html_disguised_as_png_rejected(client, editor, settings):
    client.force_login(editor)
    response = upload(client, b"<html><script>alert(1)</script></html>", name="x.png")
    message = rejection_message(response)
    assert "not a JPEG, PNG or WebP image" in message
    assert stored_files(settings) == []


def test_gif_upload_rejected(client, editor, settings):
    client.force_login(editor)
    response = upload(client, image_bytes("GIF"), name="x.gif", content_type="image/gif")
    message = rejection_message(response)
    assert "Only JPEG, PNG and WebP" in message
    assert stored_files(settings) == []


def test_upload_over_byte_limit_rejected(client, editor, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    big_png = image_bytes("PNG", (64, 64), noisy=True)
    assert len(big_png) > 1000
    client.force_login(editor)
    response = upload(client, big_png)
    message = rejection_message(response)
    assert "too large" in message and "1000" in message
    assert stored_files(settings) == []


def test_upload_over_pixel_limit_rejected(client, editor, settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 100
    client.force_login(editor)
    response = upload(client, image_bytes("PNG", (20, 20)))
    message = rejection_message(response)
    assert "too many pixels" in message
    assert stored_files(settings) == []


def test_truncated_png_rejected_without_server_error(client, editor, settings):
    whole = image_bytes("PNG", (64, 64), noisy=True)
    truncated = whole[: len(whole) // 2]
    assert truncated.startswith(b"\x89PNG\r\n\x1a\n")
    client.force_login(editor)
    response = upload(client, truncated)
    rejection_message(response)
    assert stored_files(settings) == []


def test_png_with_corrupt_pixel_data_rejected_without_server_error(client, editor, settings):
    damaged = png_with_garbage_pixel_data()
    with Image.open(io.BytesIO(damaged)) as probe:
        probe.verify()  # the chunk structure and CRCs are intact: only decoding the pixels fails
    client.force_login(editor)
    response = upload(client, damaged)
    message = rejection_message(response)
    assert "damaged" in message
    assert stored_files(settings) == []


def test_upload_without_file_rejected(client, editor, settings):
    client.force_login(editor)
    response = client.post(UPLOAD_URL, {}, **AJAX)
    message = rejection_message(response)
    assert "Choose an image" in message
    assert stored_files(settings) == []
