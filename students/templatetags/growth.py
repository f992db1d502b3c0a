from django import template

from students.rankings.models import Tier
from students.rankings.selectors import tier_for_percentile

register = template.Library()


@register.inclusion_tag("students/_tier_badge.html")
def tier_badge(tier: str):
    return {"tier": tier, "tier_label": Tier(tier).label if tier in Tier.values else tier}


@register.inclusion_tag("students/_tier_badge.html")
def tier_badge_for_percentile(percentile: float):
    return tier_badge(tier_for_percentile(percentile))


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""
