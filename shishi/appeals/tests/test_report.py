"""The public report form (/report/): the phone is proven by an SMS code, abuse is rate-limited,
and only real, small JPEG/PNG photos are kept."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shishi.appeals.models import Appeal, AppealEvent, Channel, Photo, Status
from shishi.appeals.tests.conftest import CONTENT, HOUSING
from shishi.appeals.tests.helpers import sms_to, verbs
from shishi.core.models import OutboxMessage

pytestmark = pytest.mark.django_db

PHONE = "13700001234"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _ask_code(client, phone: str = PHONE) -> str:
    """Request a code through the page and read it from the queued SMS."""
    response = client.post(reverse("portal:send_otp"), {"reporter_phone": phone})
    assert "验证码已发送" in response.content.decode()
    (body,) = [b for b in sms_to(phone) if "验证码" in b]
    return re.search(r"\b(\d{6})\b", body).group(1)


def _form(categories, *, otp: str, **extra) -> dict:
    return {
        "kind": "help",
        "category": categories[HOUSING].pk,
        "content": CONTENT,
        "reporter_phone": PHONE,
        "otp": otp,
        **extra,
    }


def _png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_code_request_queues_an_sms_with_a_six_digit_code(tree, client):
    # when a citizen asks for a code for their phone
    code = _ask_code(client)

    # then one SMS to that phone carries a 6-digit code
    assert re.fullmatch(r"\d{6}", code)
    assert OutboxMessage.objects.filter(recipient=PHONE).count() == 1


def test_wrong_code_refuses_the_report_and_creates_nothing(categories, tree, client):
    # given a citizen who asked for a code
    code = _ask_code(client)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    # when they submit the form with another code
    response = client.post(reverse("portal:report"), _form(categories, otp=wrong))

    # then the form comes back with the error on the code field, nothing is created
    assert response.status_code == 200
    assert response.context["form"].errors["otp"] == ["验证码不正确"]
    assert not Appeal.objects.exists()


def test_right_code_registers_the_appeal_at_the_city(categories, tree, client):
    # given a citizen who asked for a code
    code = _ask_code(client)

    # when they submit the form with it
    response = client.post(reverse("portal:report"), _form(categories, otp=code))

    # then the appeal is received at the city from the web, and the done page shows its code
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:reported")
    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.status, appeal.holder) == (
        Channel.WEB,
        Status.RECEIVED,
        tree["city"],
    )
    assert appeal.created_by is None
    assert verbs(appeal) == [AppealEvent.Verb.RECEIVED]
    done = client.get(response["Location"])
    assert appeal.code in done.content.decode()
    # and the browser may follow it straight away
    track = client.get(reverse("portal:track_appeal", args=[appeal.code]))
    assert [e.verb for e in track.context["events"]] == [AppealEvent.Verb.RECEIVED]


def test_a_code_works_only_once(categories, tree, client):
    # given a report made with a code
    code = _ask_code(client)
    client.post(reverse("portal:report"), _form(categories, otp=code))

    # when the same code is used again
    response = client.post(reverse("portal:report"), _form(categories, otp=code))

    # then it is refused and no second appeal is created
    assert "验证码已失效" in response.content.decode()
    assert Appeal.objects.count() == 1


def test_too_many_code_requests_from_one_address_answer_429(tree, client):
    # given 10 code requests from one address in the hour (for 10 different phones)
    first = [
        client.post(reverse("portal:send_otp"), {"reporter_phone": f"1370000{n:04d}"})
        for n in range(10)
    ]

    # when the 11th arrives
    response = client.post(reverse("portal:send_otp"), {"reporter_phone": "13799999999"})

    # then it is turned away with a Retry-After of at most the hour, and no SMS is queued
    assert [r.status_code for r in first] == [200] * 10
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert not sms_to("13799999999")


def test_too_many_reports_from_one_address_answer_429(categories, tree, client):
    # given 20 report posts from one address in the hour (each for another phone)
    first = [
        client.post(
            reverse("portal:report"),
            _form(categories, otp="000000", reporter_phone=f"1370000{n:04d}"),
        )
        for n in range(20)
    ]

    # when the 21st arrives
    response = client.post(reverse("portal:report"), _form(categories, otp="000000"))

    # then it is turned away with Retry-After and a Chinese explanation
    assert [r.status_code for r in first] == [200] * 20
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "操作过于频繁" in response.content.decode()


def test_too_many_code_tries_from_one_address_for_one_phone_answer_429(categories, tree, client):
    # given 5 report posts with wrong codes for one phone from one address
    first = [
        client.post(
            reverse("portal:report"), _form(categories, otp="000000"), REMOTE_ADDR="10.0.0.1"
        )
        for _ in range(5)
    ]

    # when a 6th arrives from that address, and one from another address
    response = client.post(
        reverse("portal:report"), _form(categories, otp="000000"), REMOTE_ADDR="10.0.0.1"
    )
    elsewhere = client.post(
        reverse("portal:report"), _form(categories, otp="000000"), REMOTE_ADDR="10.0.0.99"
    )

    # then the address is turned away; the phone's owner elsewhere is not (issue 18 #3)
    assert [r.status_code for r in first] == [200] * 5
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert elsewhere.status_code == 200


def test_oversized_photo_is_refused_and_nothing_is_saved(categories, tree, client):
    # given a citizen with a valid code and a 5 MB + 1 byte photo
    code = _ask_code(client)
    big = SimpleUploadedFile(
        "现场.jpg", b"\xff\xd8\xff\xe0" + b"\0" * (5 * 1024 * 1024 - 3), content_type="image/jpeg"
    )

    # when they submit it
    response = client.post(reverse("portal:report"), _form(categories, otp=code, photos=big))

    # then the form says why, in Chinese, and no appeal or photo is saved
    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == ["“现场.jpg”超过 5MB，请压缩后再上传"]
    assert (Appeal.objects.count(), Photo.objects.count()) == (0, 0)


def test_text_file_renamed_jpg_is_refused_and_nothing_is_saved(categories, tree, client):
    # given a text file named like a photo
    code = _ask_code(client)
    fake = SimpleUploadedFile("photo.jpg", "这不是图片".encode(), content_type="image/jpeg")

    # when it is submitted
    response = client.post(reverse("portal:report"), _form(categories, otp=code, photos=fake))

    # then it is refused as not an image, and nothing is saved
    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == [
        "“photo.jpg”不是有效的图片（仅支持 JPG、PNG）"
    ]
    assert (Appeal.objects.count(), Photo.objects.count()) == (0, 0)


def test_real_png_is_kept_with_the_appeal(categories, tree, client):
    # given a real PNG, sent as if it were a JPEG
    code = _ask_code(client)
    photo = SimpleUploadedFile("现场.jpg", _png(), content_type="image/jpeg")

    # when it is submitted
    response = client.post(reverse("portal:report"), _form(categories, otp=code, photos=photo))

    # then the appeal keeps it, typed by its content
    assert response.status_code == 302
    saved = Photo.objects.get()
    assert (saved.appeal, saved.content_type) == (Appeal.objects.get(), "image/png")
