"""Lambda Workbench: write, run and deploy AWS Lambda functions locally."""

__version__ = "0.1.0"
