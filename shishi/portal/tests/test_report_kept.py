"""A report that fails (a mistyped SMS code) keeps the photos the citizen chose: the page
says so, and the next submit files them without choosing them again."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shishi.appeals.models import Appeal, Photo
from shishi.appeals.tests.test_report import _ask_code, _form, _png


def test_photos_survive_a_failed_submit_and_reach_the_appeal(categories, tree, client):
    # given a citizen who chose a photo but mistyped the texted code
    code = _ask_code(client)
    wrong = "000000" if code != "000000" else "111111"
    photo = SimpleUploadedFile("scene.png", _png(), content_type="image/png")
    failed = client.post(reverse("portal:report"), _form(categories, otp=wrong, photos=[photo]))

    # then the form comes back with its error summary on top and the photo kept
    page = failed.content.decode()
    assert failed.status_code == 200 and not Appeal.objects.exists()
    assert page.index("data-error-summary") < page.index('name="content"')
    assert 'data-testid="kept-photos"' in page and "scene.png" in page

    # when they submit again with the right code and no photo chosen
    done = client.post(reverse("portal:report"), _form(categories, otp=code))

    # then the appeal is filed with the kept photo, and nothing stays kept
    assert done.status_code == 302
    appeal = Appeal.objects.get()
    assert Photo.objects.filter(appeal=appeal).count() == 1
    again = client.get(reverse("portal:report")).content.decode()
    assert 'data-testid="kept-photos"' not in again


def test_a_citizen_may_drop_the_kept_photos(categories, tree, client):
    code = _ask_code(client)
    wrong = "000000" if code != "000000" else "111111"
    photo = SimpleUploadedFile("scene.png", _png(), content_type="image/png")
    client.post(reverse("portal:report"), _form(categories, otp=wrong, photos=[photo]))

    client.post(reverse("portal:report"), _form(categories, otp=code, drop_kept="1"))

    assert Photo.objects.count() == 0 and Appeal.objects.count() == 1
