"""Amounts of money as the desk's pages print them."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """1234567.8 -> 1,234,567.80 (yuan to the fen, thousands grouped)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"
