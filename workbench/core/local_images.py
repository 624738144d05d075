"""The images the local Docker engine already has (for "Use a local image…"); blocking."""

from __future__ import annotations

from workbench.core.errors import WorkbenchError

MAX_IMAGES = 500  # an engine with thousands of images still answers with a short list


def local_images() -> list[str]:
    """Tagged images ("repository:tag"), Lambda-looking ones first; WorkbenchError when down."""
    from workbench.core.runtime import docker_engine, engine_calls
    from workbench.core.runtime.engine_http import EngineError

    try:
        images = engine_calls.images(docker_engine.client())
    except (EngineError, WorkbenchError) as error:
        raise WorkbenchError(
            f"Docker did not answer ({error}); start Docker, or run as a local process."
        ) from error
    found = {tag for image in images for tag in (image.get("RepoTags") or [])}
    tags = sorted(tag for tag in found if tag != "<none>:<none>")
    return sorted(tags, key=lambda t: ("lambda" not in t, t))[:MAX_IMAGES]
