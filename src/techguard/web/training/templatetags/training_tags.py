from __future__ import annotations

from typing import Any

from django import template

from techguard.web.training.status import TrainingStatus, training_status

register = template.Library()


@register.simple_tag
def training_status_of(person: Any) -> TrainingStatus:
    return training_status(person)
