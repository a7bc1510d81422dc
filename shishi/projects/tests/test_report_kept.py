"""A progress report that fails (too short) comes back on the project page as it was typed,
with its error and the photos chosen kept; the next submit files them."""

from shishi.projects.models import Attachment, ProgressReport, ReportSlot, Status
from shishi.projects.tests.conftest import png


def test_a_failed_progress_report_keeps_its_text_and_photos(office, login, town_clerk):
    # given a project in progress owing a report, and its clerk signed in
    project = office.new(to=Status.IN_PROGRESS)
    slot = ReportSlot.objects.filter(project=project).first()
    client = login(town_clerk)
    url = f"/staff/projects/{project.code}/reports/{slot.pk}/"

    # when the clerk files a report too short to accept, with a photo
    client.post(url, {"text": "太短了", "percent": 40, "files": [png("site.png")]})
    page = client.get(f"/staff/projects/{project.code}/").content.decode()

    # then nothing is filed, and the page shows the text typed, the error and the kept photo
    assert not ProgressReport.objects.exists()
    assert "太短了" in page and "data-error-summary" in page
    assert 'data-testid="kept-photos"' in page and "site.png" in page

    # when the clerk writes it out in full and files again, choosing no photo
    client.post(url, {"text": "本月完成路灯基础施工四十处", "percent": 40})

    # then the report is filed with the kept photo, and the page no longer keeps anything
    report = ProgressReport.objects.get()
    assert Attachment.objects.filter(report=report).count() == 1
    again = client.get(f"/staff/projects/{project.code}/").content.decode()
    assert 'data-testid="kept-photos"' not in again
