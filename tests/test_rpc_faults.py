"""RPC when things go wrong (services/common/rpc.py and the gateway's pool): a request dies in
the broker once its caller has given up, a service drops a request that arrives too late, a
service survives losing the broker while it replies, and a service calling another never waits
forever. Real RabbitMQ (a vhost per test); the broker link cut by a real TCP forwarder."""
import time

import eventlet
import pytest
from kombu import Connection, Queue
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from gateway.rpc import RpcPool, ServiceUnavailable
from services.common.rpc import RpcProxy, rpc
from tests.netfault import CuttableLink
from tests.servers import wait_for


class Recorder:
    """Notes each call; a call waits for `release` while one is set."""
    name = "recorder"
    calls: list = []
    release = None

    @rpc
    def note(self, value):
        type(self).calls.append(value)
        if type(self).release is not None:
            type(self).release.wait()
        return value


class Caller:
    name = "caller"
    recorder = RpcProxy("recorder")

    @rpc
    def relay(self, value):
        return self.recorder.note(value)


@pytest.fixture(autouse=True)
def fresh_recorder():
    Recorder.calls, Recorder.release = [], None


@pytest.fixture
def pool(nameko_config):
    pool = RpcPool(nameko_config, 1, timeout=1.0)
    yield pool
    pool.close()


def waiting_in(amqp_uri: str, queue: str) -> int:
    with Connection(amqp_uri) as connection:
        return Queue(queue, channel=connection.default_channel).queue_declare(passive=True).message_count


def note(pool, value):
    with pool.services() as services:
        return services.recorder.note(value)


def test_a_request_dies_in_the_broker_once_its_caller_has_given_up(container_factory, nameko_config, pool):
    container = container_factory(Recorder, nameko_config)
    container.start()
    container.stop()  # its queue stays, with nobody consuming it
    with pytest.raises(ServiceUnavailable) as refused:
        note(pool, "sent while the service was down")
    assert refused.value.sent  # the answer may not say nothing happened: it cannot know
    wait_for(lambda: waiting_in(nameko_config["AMQP_URI"], "rpc-recorder") == 0, message="the request expired")

    container_factory(Recorder, nameko_config).start()
    # The queue is first in, first out: had the earlier request survived, it would come first.
    # (A new pool: this one remembers the service as down for a second.)
    fresh = RpcPool(nameko_config, 1, timeout=10)
    assert note(fresh, "sent once it was back") == "sent once it was back"
    fresh.close()
    assert Recorder.calls == ["sent once it was back"]


def test_a_service_does_not_run_a_request_that_arrives_after_its_deadline(container_factory, nameko_config, pool):
    container_factory(Recorder, nameko_config).start()
    with ClusterRpcProxy(nameko_config, context_data={"deadline": time.time() - 5}) as late:
        late.recorder.note.call_async("arrived too late")
    assert note(pool, "in time") == "in time"
    assert Recorder.calls == ["in time"]


def test_a_service_that_loses_the_broker_while_replying_lives_on_and_answers_again(
        container_factory, nameko_config, caplog):
    link = CuttableLink.to_broker(nameko_config["AMQP_URI"])
    try:
        Recorder.release = eventlet.event.Event()
        container = container_factory(Recorder, {**nameko_config, "AMQP_URI": link.uri(nameko_config["AMQP_URI"])})
        container.start()
        patient = RpcPool(nameko_config, 1, timeout=120)
        answer = eventlet.spawn(note, patient, "while the link is cut")
        wait_for(lambda: Recorder.calls, message="the call being served")
        link.cut()
        Recorder.release.send()
        wait_for(lambda: "could not reply" in caplog.text, timeout=60, message="the reply given up")
        assert not container._died.ready()  # nameko's own entrypoint would have ended the container here
        Recorder.release = None
        link.restore()
        # The request was never acknowledged, so the broker hands it out again, and the caller
        # still waiting gets its answer; new calls are answered too.
        assert answer.wait() == "while the link is cut"
        assert note(patient, "after the link is back") == "after the link is back"
        patient.close()
    finally:
        link.cut()


def test_a_service_calling_another_gives_up_after_the_rpc_timeout(container_factory, nameko_config):
    recorder = container_factory(Recorder, nameko_config)
    recorder.start()
    recorder.stop()
    container_factory(Caller, {**nameko_config, "RPC_TIMEOUT": 1.0}).start()
    started = time.monotonic()
    with ClusterRpcProxy(nameko_config, timeout=30) as services:
        with pytest.raises(RemoteError) as failed:
            services.caller.relay("nobody listens")
    assert failed.value.exc_type == "RpcTimeout" and time.monotonic() - started < 15
