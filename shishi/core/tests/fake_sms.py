"""A fake SMS provider on 127.0.0.1 for the backend tests: the SDKs' endpoint points at it.

It answers the way Alibaba Cloud, Tencent Cloud or a province's HTTP platform answer, and
counts what it was asked to send. `mode` says how it behaves: "ok", "down" (HTTP 503),
"slow" (sleeps past the client's timeout), or a provider business error code.
"""

import itertools
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeProvider:
    def __init__(self, flavour: str):
        self.flavour = flavour  # "aliyun", "tencent" or "http"
        self.mode = "ok"
        self.sent: list[dict] = []  # what the provider accepted to send
        self.requests = 0
        # Alibaba's QuerySendDetails: biz id -> (SendStatus 1/2/3, ErrCode)
        self.details: dict[str, tuple[int, str]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                provider.handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.endpoint = f"127.0.0.1:{self.port}"
        self.url = f"http://127.0.0.1:{self.port}/sms/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length)
        with self._lock:
            self.requests += 1
            mode = self.mode
        if mode == "slow":
            time.sleep(2.5)
        if mode == "down":
            request.send_response(503)
            request.end_headers()
            request.wfile.write(b"Service Unavailable")
            return
        fields = self.read(request, raw)
        if fields.get("action") == "QuerySendDetails":
            status, err = self.details.get(fields["biz_id"], (1, ""))
            detail = {"PhoneNum": fields["phone_number"], "SendStatus": status, "ErrCode": err}
            answer = {"Code": "OK", "Message": "OK", "TotalCount": 1,
                      "SmsSendDetailDTOs": {"SmsSendDetailDTO": [detail]}}  # fmt: skip
        else:
            answer = self.answer(mode, fields)
        body = json.dumps(answer).encode()
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def read(self, request, raw: bytes) -> dict:
        if self.flavour == "aliyun":
            fields = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request.path).query))
            fields.update(urllib.parse.parse_qsl(raw.decode()))
            return {
                "action": request.headers.get("x-acs-action"),
                "biz_id": fields.get("BizId"),
                "phone_number": fields.get("PhoneNumber"),
                "phone": fields.get("PhoneNumbers"),
                "template": fields.get("TemplateCode"),
                "params": json.loads(fields.get("TemplateParam") or "{}"),
                "sign": fields.get("SignName"),
            }
        data = json.loads(raw or b"{}")
        if self.flavour == "tencent":
            return {
                "phone": (data.get("PhoneNumberSet") or [""])[0],
                "template": data.get("TemplateId"),
                "params": data.get("TemplateParamSet"),
                "sign": data.get("SignName"),
            }
        return {
            "phone": data.get("phone"),
            "template": data.get("template_id"),
            "params": data.get("params"),
            "sign": data.get("sign"),
            "signature": request.headers.get("X-Signature"),
        }

    def answer(self, mode: str, fields: dict) -> dict:
        ok = mode == "ok"
        if ok:
            with self._lock:
                msg_id = f"{self.flavour}-{next(self._ids)}"
                self.sent.append({**fields, "id": msg_id})
        else:
            msg_id = ""
        if self.flavour == "aliyun":
            code = "OK" if ok else mode
            return {"Code": code, "Message": "OK" if ok else "触发流控", "BizId": msg_id,
                    "RequestId": "r1"}  # fmt: skip
        if self.flavour == "tencent":
            status = {"SerialNo": msg_id, "PhoneNumber": fields["phone"], "Fee": 1,
                      "SessionContext": "", "Code": "Ok" if ok else mode,
                      "Message": "send success" if ok else "error", "IsoCode": "CN"}  # fmt: skip
            return {"Response": {"SendStatusSet": [status], "RequestId": "r1"}}
        return {"code": "0" if ok else mode, "msg": "ok" if ok else "error", "msgid": msg_id}
