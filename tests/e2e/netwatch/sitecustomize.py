"""Loaded by every Python process the browser tests start (PYTHONPATH): records each attempt of that process
to reach a host other than this machine (a socket connect or send, a name lookup) in the file named by
UMKM_NETLOG, one line per attempt. Nothing is blocked: the test that reads the file decides."""
import os
import socket

_LOG = os.environ.get("UMKM_NETLOG")
_LOCAL_NAMES = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::", "", None}


def _is_local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if host in _LOCAL_NAMES or (isinstance(host, str) and (host.startswith("127.") or host.endswith(".localhost"))):
        return True
    return not isinstance(host, str)  # unix sockets and the like


def _record(kind: str, target) -> None:
    try:
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{kind} {target!r} pid={os.getpid()}\n")
    except OSError:
        pass


if _LOG:
    _connect, _connect_ex, _sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
    _getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        if isinstance(address, tuple) and not _is_local(address[0]):
            _record("connect", address)
        return _connect(self, address)

    def connect_ex(self, address):
        if isinstance(address, tuple) and not _is_local(address[0]):
            _record("connect_ex", address)
        return _connect_ex(self, address)

    def sendto(self, data, *args):
        address = args[-1] if args else None
        if isinstance(address, tuple) and not _is_local(address[0]):
            _record("sendto", address)
        return _sendto(self, data, *args)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local(host):
            _record("getaddrinfo", host)
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
    socket.getaddrinfo = getaddrinfo
