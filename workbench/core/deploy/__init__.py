"""Deploy: deterministic package, AWS connection, create/update, remote invoke."""

from workbench.core.deploy.aws import AwsConnection, connect
from workbench.core.deploy.changes import Change
from workbench.core.deploy.dependencies import install_dependencies, package_function
from workbench.core.deploy.deployer import DeployPlan, DeployResult, apply_deploy, plan_deploy
from workbench.core.deploy.package import Package, build_package
from workbench.core.deploy.remote import RemoteInvocation, compare, invoke_remote, parse_report

__all__ = [
    "AwsConnection", "Change", "DeployPlan", "DeployResult", "Package", "RemoteInvocation",
    "apply_deploy", "build_package", "compare", "connect", "install_dependencies",
    "invoke_remote", "package_function", "parse_report", "plan_deploy",
]  # fmt: skip
