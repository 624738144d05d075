"""Sample event catalog (sample_events/), SAM CLI names, saved events and console import/export."""

from workbench.core.events.catalog import (
    Parameter,
    ServiceInfo,
    TemplateInfo,
    coerce_param,
    generate_event,
    get_template,
    list_services,
    list_templates,
    search_templates,
    template_body,
)
from workbench.core.events.console import (
    ConsoleEvents,
    console_document,
    export_console_events,
    import_console_events,
    parse_console_events,
    read_console_file,
    write_console_file,
)
from workbench.core.events.sam import SamEvent, generate_sam_event, resolve_sam, sam_events
from workbench.core.events.saved import SavedEvents

__all__ = [
    "ConsoleEvents",
    "Parameter",
    "SamEvent",
    "SavedEvents",
    "ServiceInfo",
    "TemplateInfo",
    "coerce_param",
    "console_document",
    "export_console_events",
    "generate_event",
    "generate_sam_event",
    "get_template",
    "import_console_events",
    "list_services",
    "list_templates",
    "parse_console_events",
    "read_console_file",
    "resolve_sam",
    "sam_events",
    "search_templates",
    "template_body",
    "write_console_file",
]
