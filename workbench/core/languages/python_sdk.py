"""The AWS SDK that Lambda's managed Python runtime provides (boto3 and its dependencies)."""
