"""Placeholder, replaced below."""


def demo_summary() -> str:
    return "宣讲与志愿服务：无"
