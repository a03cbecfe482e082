"""The labels `docker stack` puts on what it deploys, and the one compose-lite adds."""

NAMESPACE = "com.docker.stack.namespace"  # on services, tasks' containers, networks, secrets, configs
IMAGE = "com.docker.stack.image"  # the image as the file names it, on the service
DIGESTS = "io.compose-lite.stack.digests"  # JSON {section: digest} of the spec cl deployed


def scoped(stack: str, name: str) -> str:
    """``<stack>_<name>``: how Swarm names a stack's services and its unnamed resources."""
    return f"{stack}_{name}"
