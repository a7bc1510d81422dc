"""CSV downloads of any size: streamed in chunks of rows, formula-like cells made text."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

from shishi.core.uploads import csv_safe

# Rows per chunk sent: one write per row would make a million-row export a million
# socket writes; a few hundred kilobytes at a time keep memory bounded all the same.
CHUNK_ROWS = 2_000


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text of `header` and `rows` (with Excel's UTF-8 BOM), CHUNK_ROWS at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow([csv_safe(value) for value in row])
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_download(
    header: Sequence[str], rows: Iterable[Sequence], *, filename: str
) -> StreamingHttpResponse:
    """A streamed CSV attachment: the first byte goes out at once, memory stays bounded."""
    response = StreamingHttpResponse(
        csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
