"""checklist: how ready each application is to move from VMs to Docker containers."""

__version__ = "0.1.0"
