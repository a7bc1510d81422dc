"""Masking personal data for display (DESIGN §3): phones 138****1234, ID numbers, names."""

import re


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
