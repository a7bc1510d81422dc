"""SMS providers behind the outbox: Alibaba Cloud, Tencent Cloud, a province's HTTP platform.

Each sends a registered SMS kind (core.sms) as the provider wants it: the template ID the
city mapped to the kind (`SmsTemplate`, the staff page 短信模板), the variables cut to
`SMS_VARIABLE_LIMIT`, under the signature `SMS_SIGN_NAME`. `send()` returns the provider's
message id (its receipts name it) or raises what the outbox acts on:

- `outbox.Throttled` — flow control (限流, a number's daily limit): tried again later,
  without counting an attempt;
- `outbox.Rejected` — the provider will never send it (an invalid number, a blacklisted
  one, a template it refuses): flagged dead at once;
- `outbox.Unmapped` — the kind has no template ID yet: flagged, resent once mapped;
- anything else (a timeout, a 5xx, a refused connection) — retried with backoff.

Receipts (回执) come to `/sms/receipts/<SMS_RECEIPT_TOKEN>/` (core.views); each backend
reads its provider's report format there (`receipts(request)`). Where the provider offers
a query (Alibaba's QuerySendDetails: `poll(message)`), the worker also asks for the status
of SMS still without a receipt (`receipts.poll`, every ten minutes). Alibaba and Tencent do not
sign their receipt pushes, so the secret token in the URL is what authenticates them; the
HTTP platform's are signed with the shared secret as well. Credentials come from the
environment (settings.SMS_ALIYUN / SMS_TENCENT / SMS_HTTP) and are never logged.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from shishi.core import sms
from shishi.core.models import OutboxMessage, SmsTemplate
from shishi.core.outbox import Rejected, Throttled, Unmapped
from shishi.core.text import clip

# Flow control that a day will cure is tried again in an hour, the rest in a minute.
LATER = timedelta(minutes=1)
MUCH_LATER = timedelta(hours=1)


@dataclass(frozen=True)
class Receipt:
    """One provider status report: the message it is about, and whether it arrived."""

    provider_id: str
    delivered: bool
    reason: str = ""


class TemplateBackend(ABC):
    """What every provider shares: the template lookup and the variables' limit."""

    def send(self, message: OutboxMessage) -> str:
        if not message.kind:
            raise Unmapped("未配置模板：该短信没有登记短信类型，无法按模板发送")
        template_id = (
            SmsTemplate.objects.filter(kind=message.kind)
            .values_list("template_id", flat=True)
            .first()
        )
        if not template_id:
            kind = sms.get(message.kind)
            label = kind.label if kind else message.kind
            raise Unmapped(f"未配置模板：{label}（{message.kind}）")
        limit = settings.SMS_VARIABLE_LIMIT
        params = {name: clip(str(value), limit) for name, value in message.params.items()}
        return self.send_template(
            message=message, phone=message.recipient, template_id=template_id, params=params
        )

    @abstractmethod
    def send_template(
        self, *, message: OutboxMessage, phone: str, template_id: str, params: dict[str, str]
    ) -> str:
        """Send one template message; returns the provider's message id."""

    @abstractmethod
    def receipts(self, request: HttpRequest) -> list[Receipt]:
        """The reports in a receipt push; raises ValueError for a body it cannot read."""

    def receipt_answer(self) -> dict:
        return {"code": 0, "msg": "接收成功"}


def _reports(request: HttpRequest) -> list[dict]:
    """A receipt push's body: a JSON list of reports (ValueError for anything else)."""
    reports = json.loads(request.body)
    if not isinstance(reports, list) or not all(isinstance(r, dict) for r in reports):
        raise ValueError("not a list of reports")
    return reports


def _ordered(message: OutboxMessage, params: dict[str, str]) -> list[str]:
    """The values in the order of the kind's variables (Tencent's {1}, {2} …)."""
    kind = sms.get(message.kind)
    names = kind.variables if kind else tuple(params)
    return [params.get(name, "") for name in names]


# --- Alibaba Cloud 阿里云短信 (dysmsapi 2017-05-25) ---------------------------------------------

ALIYUN_THROTTLED = {
    "isv.BUSINESS_LIMIT_CONTROL": LATER,
    "isv.DAY_LIMIT_CONTROL": MUCH_LATER,
    "isv.MONTH_LIMIT_CONTROL": MUCH_LATER,
    "Throttling.User": LATER,
    "Throttling.Api": LATER,
    "isv.OUT_OF_SERVICE": MUCH_LATER,  # the account is in arrears: paid, it sends again
    "isv.AMOUNT_NOT_ENOUGH": MUCH_LATER,
}
ALIYUN_REJECTED = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.MOBILE_COUNT_OVER_LIMIT",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.INVALID_JSON_PARAM",
    "isv.DENY_IP_RANGE",
}


class AliyunBackend(TemplateBackend):
    """Alibaba Cloud SMS through its official SDK (alibabacloud-dysmsapi20170525)."""

    def client(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.utils_models import Config

        conf = settings.SMS_ALIYUN
        return Client(
            Config(
                access_key_id=conf["access_key_id"],
                access_key_secret=conf["access_key_secret"],
                endpoint=conf["endpoint"],
                protocol=conf["protocol"],
            )
        )

    def send_template(
        self, *, message: OutboxMessage, phone: str, template_id: str, params: dict[str, str]
    ) -> str:
        from alibabacloud_dysmsapi20170525 import models
        from darabonba.runtime import RuntimeOptions

        timeout = int(settings.SMS_TIMEOUT_SECONDS * 1000)
        request = models.SendSmsRequest(
            phone_numbers=phone,
            sign_name=settings.SMS_SIGN_NAME,
            template_code=template_id,
            template_param=json.dumps(params, ensure_ascii=False),
            out_id=str(message.pk),
        )
        runtime = RuntimeOptions(connect_timeout=timeout, read_timeout=timeout, autoretry=False)
        try:
            body = self.client().send_sms_with_options(request, runtime).body
        except Exception as error:
            code = getattr(error, "code", "") or ""
            _aliyun_verdict(code, getattr(error, "message", "") or str(error))
            raise RuntimeError(f"阿里云短信接口出错：{code} {error}") from None
        if body.code == "OK":
            return body.biz_id
        _aliyun_verdict(body.code, body.message)
        raise RuntimeError(f"阿里云短信：{body.code} {body.message}")

    def poll(self, message: OutboxMessage) -> Receipt | None:
        """QuerySendDetails: the message's status at Alibaba, when it has one (the fallback
        for a city that has not set up the receipt push; `receipts.poll`)."""
        from alibabacloud_dysmsapi20170525 import models
        from darabonba.runtime import RuntimeOptions

        timeout = int(settings.SMS_TIMEOUT_SECONDS * 1000)
        request = models.QuerySendDetailsRequest(
            phone_number=message.recipient,
            biz_id=message.provider_id,
            send_date=timezone.localtime(message.sent_at).strftime("%Y%m%d"),
            page_size=10,
            current_page=1,
        )
        runtime = RuntimeOptions(connect_timeout=timeout, read_timeout=timeout, autoretry=False)
        body = self.client().query_send_details_with_options(request, runtime).body
        if body.code != "OK" or not body.sms_send_detail_dtos:
            return None
        for detail in body.sms_send_detail_dtos.sms_send_detail_dto or []:
            # SendStatus: 1 waiting for the carrier's report, 2 failed, 3 delivered.
            if detail.send_status in (2, 3):
                return Receipt(
                    provider_id=message.provider_id,
                    delivered=detail.send_status == 3,
                    reason=detail.err_code or "",
                )
        return None

    def receipts(self, request: HttpRequest) -> list[Receipt]:
        """The SmsReport push: a JSON list of {biz_id, success, err_code, err_msg, …}."""
        return [
            Receipt(
                provider_id=str(report["biz_id"]),
                delivered=bool(report.get("success")),
                reason=f"{report.get('err_code', '')} {report.get('err_msg', '')}".strip(),
            )
            for report in _reports(request)
        ]


def _aliyun_verdict(code: str, text: str) -> None:
    if code in ALIYUN_THROTTLED:
        raise Throttled(f"{code} {text}", retry_after=ALIYUN_THROTTLED[code])
    if code in ALIYUN_REJECTED:
        raise Rejected(f"{code} {text}")


# --- Tencent Cloud 腾讯云短信 (sms 2021-01-11) --------------------------------------------------

TENCENT_THROTTLED = {
    "LimitExceeded.PhoneNumberDailyLimit": MUCH_LATER,
    "LimitExceeded.PhoneNumberOneHourLimit": MUCH_LATER,
    "LimitExceeded.PhoneNumberThirtySecondLimit": LATER,
    "LimitExceeded.PhoneNumberSameContentDailyLimit": MUCH_LATER,
    "LimitExceeded.DeliveryFrequencyLimit": LATER,
    "LimitExceeded.AppDailyLimit": MUCH_LATER,
    "LimitExceeded.DailyLimit": MUCH_LATER,
    "RequestLimitExceeded": LATER,
    "FailedOperation.InsufficientBalanceInSmsPackage": MUCH_LATER,
}
TENCENT_REJECTED = {
    "InvalidParameterValue.IncorrectPhoneNumber",
    "FailedOperation.PhoneNumberInBlacklist",
    "FailedOperation.PhoneNumberOnBlacklist",
    "FailedOperation.TemplateIncorrectOrUnapproved",
    "FailedOperation.SignatureIncorrectOrUnapproved",
    "FailedOperation.MissingTemplateToModify",
    "InvalidParameterValue.TemplateParameterFormatError",
    "InvalidParameterValue.TemplateParameterLengthLimit",
    "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
}


class TencentBackend(TemplateBackend):
    """Tencent Cloud SMS through its official SDK (tencentcloud-sdk-python-sms)."""

    def client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        conf = settings.SMS_TENCENT
        http = HttpProfile(
            endpoint=conf["endpoint"],
            reqTimeout=max(1, round(settings.SMS_TIMEOUT_SECONDS)),
        )
        http.scheme = conf["scheme"]
        return sms_client.SmsClient(
            credential.Credential(conf["secret_id"], conf["secret_key"]),
            conf["region"],
            ClientProfile(httpProfile=http),
        )

    def send_template(
        self, *, message: OutboxMessage, phone: str, template_id: str, params: dict[str, str]
    ) -> str:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.SmsSdkAppId = settings.SMS_TENCENT["sdk_app_id"]
        request.SignName = settings.SMS_SIGN_NAME
        request.TemplateId = template_id
        request.TemplateParamSet = _ordered(message, params)
        request.PhoneNumberSet = [phone if phone.startswith("+") else f"+86{phone}"]
        request.SessionContext = str(message.pk)
        try:
            response = self.client().SendSms(request)
        except TencentCloudSDKException as error:
            code = error.get_code() or ""
            _tencent_verdict(code, error.get_message() or "")
            raise RuntimeError(f"腾讯云短信接口出错：{code} {error.get_message()}") from None
        status = response.SendStatusSet[0]
        if status.Code == "Ok":
            return status.SerialNo
        _tencent_verdict(status.Code, status.Message)
        raise RuntimeError(f"腾讯云短信：{status.Code} {status.Message}")

    def receipts(self, request: HttpRequest) -> list[Receipt]:
        """The status callback: a JSON list of {sid, report_status, errmsg, description}."""
        return [
            Receipt(
                provider_id=str(report["sid"]),
                delivered=report.get("report_status") == "SUCCESS",
                reason=f"{report.get('errmsg', '')} {report.get('description', '')}".strip(),
            )
            for report in _reports(request)
        ]

    def receipt_answer(self) -> dict:
        return {"result": 0, "errmsg": "OK"}


def _tencent_verdict(code: str, text: str) -> None:
    if code in TENCENT_THROTTLED:
        raise Throttled(f"{code} {text}", retry_after=TENCENT_THROTTLED[code])
    if code in TENCENT_REJECTED:
        raise Rejected(f"{code} {text}")


# --- A province's unified SMS platform (统一短信平台) over HTTP ---------------------------------


def http_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 of "<timestamp>.<body>" under the shared secret, hex."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class HttpBackend(TemplateBackend):
    """One JSON request a message, signed (X-Timestamp, X-Signature); the answer is read
    through the field names in settings.SMS_HTTP. Receipts are signed the same way and
    older than five minutes are refused (a replayed one)."""

    def send_template(
        self, *, message: OutboxMessage, phone: str, template_id: str, params: dict[str, str]
    ) -> str:
        conf = settings.SMS_HTTP
        body = json.dumps(
            {
                "app_id": conf["app_id"],
                "sign": settings.SMS_SIGN_NAME,
                "template_id": template_id,
                "params": params,
                "phone": phone,
                "out_id": str(message.pk),
            },
            ensure_ascii=False,
        ).encode()
        timestamp = str(int(time.time()))
        request = urllib.request.Request(
            conf["url"],
            data=body,
            method=conf["method"],
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Timestamp": timestamp,
                "X-Signature": http_signature(
                    secret=conf["secret"], timestamp=timestamp, body=body
                ),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT_SECONDS) as reply:
                answer = json.loads(reply.read())
        except urllib.error.HTTPError as error:
            if error.code == 429:
                raise Throttled("HTTP 429", retry_after=LATER) from None
            raise RuntimeError(f"短信平台 HTTP {error.code}") from None
        code = str(answer.get(conf["code_field"], ""))
        text = str(answer.get(conf["message_field"], ""))
        if code == conf["ok_code"]:
            return str(answer.get(conf["id_field"], ""))
        if code in conf["throttle_codes"]:
            raise Throttled(f"{code} {text}", retry_after=LATER)
        if code in conf["reject_codes"]:
            raise Rejected(f"{code} {text}")
        raise RuntimeError(f"短信平台：{code} {text}")

    def receipts(self, request: HttpRequest) -> list[Receipt]:
        """A signed JSON list of {msgid, status: DELIVERED | FAILED, reason}."""
        timestamp = request.headers.get("X-Timestamp", "")
        expected = http_signature(
            secret=settings.SMS_HTTP["secret"], timestamp=timestamp, body=request.body
        )
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
        signature = request.headers.get("X-Signature", "")
        if not (
            settings.SMS_HTTP["secret"] and fresh and constant_time_compare(signature, expected)
        ):
            raise PermissionError("bad signature")
        return [
            Receipt(
                provider_id=str(report[settings.SMS_HTTP["id_field"]]),
                delivered=report.get("status") == "DELIVERED",
                reason=str(report.get("reason", "")),
            )
            for report in _reports(request)
        ]
