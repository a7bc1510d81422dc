"""Masking personal data for display (DESIGN §3): phones 138****1234, ID numbers, names;
and the keyed hash that finds a phone number's rows without searching the number itself."""

import hashlib
import hmac
import re

from django.conf import settings


def mask_phone(phone: str | None) -> str:
    """138****1234: the first three and last four digits (mobiles and landlines alike)."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 8:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * len(digits)


def mask_id_number(number: str | None) -> str:
    """Resident ID: first 6 and last 4 shown (350602********1234)."""
    if not number:
        return ""
    number = number.strip()
    if len(number) <= 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


def mask_name(name: str | None) -> str:
    """张** / 欧阳** — the family name only."""
    if not name:
        return ""
    name = name.strip()
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_codes(text: str) -> str:
    """验证码 ****** — every run of four or more digits (a one-time code) starred out."""
    return re.sub(r"\d{4,}", lambda match: "*" * len(match.group()), text)


def phone_hash(phone: str | None) -> str:
    """HMAC-SHA256 of the number's digits (a leading 86 dropped), keyed by
    `settings.PHONE_HASH_KEY` (else derived from SECRET_KEY): equal numbers give equal
    hashes, and a stolen table does not give the numbers back by trying all 10^11."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not digits:
        return ""
    key = settings.PHONE_HASH_KEY or f"shishi-phone-hash:{settings.SECRET_KEY}"
    return hmac.new(key.encode(), digits.encode(), hashlib.sha256).hexdigest()
