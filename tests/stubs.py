"""botocore Stubber helpers: real clients whose every request is checked against the service model."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber


def stubbed(service: str):
    client = boto3.client(service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    return client, Stubber(client)


def client_error(stubber: Stubber, method: str, code: str, status: int = 400, expected_params=None) -> None:
    stubber.add_client_error(method, service_error_code=code, service_message=f"{code} (stubbed)",
                             http_status_code=status, expected_params=expected_params)
