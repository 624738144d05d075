#!/bin/sh
# Behaves like the official /lambda-entrypoint.sh of public.ecr.aws/lambda images.
if [ $# -ne 1 ]; then
  echo "entrypoint requires the handler name to be the first argument" 1>&2
  exit 142
fi
export _HANDLER="$1"

RUNTIME_ENTRYPOINT=/var/runtime/bootstrap
if [ -z "${AWS_LAMBDA_RUNTIME_API}" ]; then
  echo "This test image has no Runtime Interface Emulator (aws-lambda-rie); set AWS_LAMBDA_RUNTIME_API to a Runtime API address (the workbench does this)." 1>&2
  exit 1
else
  exec $RUNTIME_ENTRYPOINT
fi
