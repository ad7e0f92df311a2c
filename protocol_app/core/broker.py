"""The Redis transport for Celery, without redis-py's own retries.

redis-py retries a refused connection three times with backoff (about 4 s) before
kombu even sees the error, so a web request that publishes a mail while Redis is down
would wait that long. Celery and kombu have their own reconnection logic for the
worker, and the outbox sweep re-publishes whatever a request could not: one attempt
is all a publisher should make.
"""

from __future__ import annotations

import redis
from kombu.transport import redis as kombu_redis
from redis.backoff import NoBackoff
from redis.retry import Retry


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous=False):
        if self.connection is None or getattr(self.connection, "client", None) is None:
            # kombu#582: a channel closed while the worker replaces its broker connection (Redis
            # killed) asks for the connection's parameters after it is gone. As AttributeError
            # that stops a prefork worker for good ("Unrecoverable error"); as a connection error
            # the worker reconnects like after any other broker outage.
            raise redis.exceptions.ConnectionError("the broker connection was closed meanwhile")
        params = super()._connparams(asynchronous=asynchronous)
        params["retry"] = Retry(NoBackoff(), 0)
        return params


class Transport(kombu_redis.Transport):
    Channel = Channel


#: The value of Celery's `broker_transport` that selects this transport.
TRANSPORT = f"{__name__}:Transport"


def request_client_options(config) -> dict:
    """redis-py options for a client used inside a web request: REDIS_REQUEST_TIMEOUT to connect
    and to answer, one attempt, no retries."""
    timeout = config["REDIS_REQUEST_TIMEOUT"]
    return {"socket_connect_timeout": timeout, "socket_timeout": timeout, "retry": Retry(NoBackoff(), 0)}


def ping(url: str, config) -> None:
    """Ask Redis once, within the request's timeout; raises if it is refused, hung or wrong."""
    client = redis.Redis.from_url(url, **request_client_options(config))
    try:
        client.ping()
    finally:
        client.close()
