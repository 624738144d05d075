"""The images the local Docker engine already has (for "Use a local image…"); blocking."""

from __future__ import annotations

from workbench.core.errors import WorkbenchError

MAX_IMAGES = 500  # an engine with thousands of images still answers with a short list


def local_images() -> list[str]:
    """Tagged images ("repository:tag"), Lambda-looking ones first; WorkbenchError when down."""
    import docker.errors
    import requests.exceptions

    from workbench.core.runtime import docker_engine

    try:
        images = docker_engine.client().images.list()
    except (docker.errors.DockerException, requests.exceptions.RequestException) as error:
        raise WorkbenchError(
            f"Docker did not answer ({error}); start Docker, or run as a local process."
        ) from error
    tags = sorted({tag for image in images for tag in (image.tags or [])})
    return sorted(tags, key=lambda t: ("lambda" not in t, t))[:MAX_IMAGES]
