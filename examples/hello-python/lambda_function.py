"""A small handler: greets the caller and reports where it ran."""

import json
import logging
import os

logger = logging.getLogger()
logger.setLevel(logging.INFO)

# Module globals survive between warm invokes, exactly as on Lambda.
invocations = 0


def lambda_handler(event, context):
    global invocations
    invocations += 1
    name = event.get("name", "world") if isinstance(event, dict) else "world"
    logger.info("greeting %s", name)
    print(f"invocation {invocations} of this environment")
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(
            {
                "message": f"Hello, {name}!",
                "function": context.function_name,
                "memoryLimitInMB": context.memory_limit_in_mb,
                "region": os.environ.get("AWS_REGION"),
                "warmInvocations": invocations,
            }
        ),
    }
