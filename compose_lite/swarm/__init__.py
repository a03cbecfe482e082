"""`cl stack`: a Compose project deployed to a Docker Swarm cluster, read by the same loader as `cl up`.

The pieces, each with one job: ``spec`` turns the loaded project into Swarm's service, network and
file specs (pure); ``ignored`` lists what Swarm cannot honour; ``plan`` compares the specs with
what the cluster runs; ``deploy`` applies a plan through the ``Swarm`` protocol (``cluster``,
over the docker SDK in ``docker_swarm``);
``converge`` follows a deploy until it settles; ``listing`` builds the rows `stack ls/ps/services`
print.
"""
