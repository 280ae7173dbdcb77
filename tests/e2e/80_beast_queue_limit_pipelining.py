"""bad-input row 14 (Beast advanced_server `queue_limit`): many pipelined requests in one write are
answered in order, and a client that pipelines far more than it reads gets back-pressure, not a crash."""
import re
import threading

from e2e_http import RawConn, only_responses, raw

VAR = re.compile(rb"Submitted GET Variable 'n'</i></td><td>(\d+)</td>")


def numbered(n):
    return b"".join(b"GET /httpstatus?n=%d HTTP/1.1\r\n\r\n" % i for i in range(n))


def test_hundred_pipelined_requests_in_order(guard):
    reply = raw(guard.port, numbered(100) + b"GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n", timeout=10)
    responses = only_responses(reply)
    assert len(responses) == 101
    assert [int(VAR.search(r.body).group(1)) for r in responses[:100]] == list(range(100))
    assert responses[100].code == 404 and reply.closed


def test_mixed_pipeline_in_order(guard):
    paths = [b"/httpstatus", b"/nope", b"/", b"/static/astman.css", b"/static/"] * 10
    data = b"".join(b"GET " + p + b" HTTP/1.1\r\n\r\n" for p in paths)
    responses = only_responses(raw(guard.port, data, timeout=10))
    # /static/ is a 403 that closes: the pipeline stops right there.
    assert [r.code for r in responses] == [200, 404, 302, 200, 403]


def test_deep_pipeline_with_slow_reader(guard):
    n = 10000
    data = numbered(n)
    with RawConn(guard.port, timeout=30) as c:
        sender = threading.Thread(target=c.sock.sendall, args=(data,))
        sender.start()
        seen = [int(VAR.search(c.read_response(timeout=30).body).group(1)) for _ in range(n)]
        sender.join()
    assert seen == list(range(n))
