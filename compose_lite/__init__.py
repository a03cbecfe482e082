"""compose-lite: a Docker Compose-style orchestrator for one Docker Engine."""

__version__ = "0.1.0"
