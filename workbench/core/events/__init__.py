"""Sample event catalog (sample_events/) and the saved events of each function."""

from workbench.core.events.catalog import (
    Parameter,
    TemplateInfo,
    coerce_param,
    generate_event,
    get_template,
    list_templates,
    search_templates,
    template_body,
)
from workbench.core.events.saved import SavedEvents

__all__ = [
    "Parameter",
    "SavedEvents",
    "TemplateInfo",
    "coerce_param",
    "generate_event",
    "get_template",
    "list_templates",
    "search_templates",
    "template_body",
]
