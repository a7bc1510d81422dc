"""Streamed CSV: chunks of rows, the same text as one csv.writer would write."""

import csv
import io

from shishi.core import downloads


def test_csv_chunks_send_rows_in_chunks_that_add_up_to_the_whole_file(monkeypatch):
    # given rows enough for two full chunks and part of a third, one cell formula-like
    monkeypatch.setattr(downloads, "CHUNK_ROWS", 3)
    rows = [[f"编号{n}", n, "=1+1" if n == 4 else "文本,含逗号"] for n in range(8)]

    # when they are streamed
    chunks = list(downloads.csv_chunks(["编号", "序号", "内容"], rows))

    # then they come three rows a chunk (the header with the first), and read back whole
    assert len(chunks) == 3
    assert chunks[0].startswith("\ufeff编号,序号,内容\r\n")
    back = list(csv.reader(io.StringIO("".join(chunks).lstrip("\ufeff"))))
    assert back[0] == ["编号", "序号", "内容"]
    assert back[1:] == [
        [f"编号{n}", str(n), "'=1+1" if n == 4 else "文本,含逗号"] for n in range(8)
    ]


def test_csv_download_is_an_attachment_streamed():
    response = downloads.csv_download(["a"], [[1]], filename="x.csv")
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert b"".join(response.streaming_content).decode() == "\ufeffa\r\n1\r\n"
