from django import template

from shishi.core.masking import mask_phone

register = template.Library()


@register.filter
def stars(value) -> str:
    """4 -> ★★★★☆"""
    try:
        count = max(0, min(5, round(float(value))))
    except (TypeError, ValueError):
        return ""
    return "★" * count + "☆" * (5 - count)


@register.filter(name="mask_phone")
def mask_phone_filter(value) -> str:
    return mask_phone(value)
