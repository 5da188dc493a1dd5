package io.causeway.daemon.dataplane;

import java.net.InetSocketAddress;

/**
  * Receives the IKE datagrams that arrive on the data path's UDP sockets: everything on port
  * 500, and what carries the non-ESP marker on 4500 (RFC 3948 2.2). The IKE engine plugs in
  * here; until it does, the data plane counts and drops them. Called on a receive thread; the
  * bytes are a copy the sink may keep.
  */
public interface IkeDatagramSink {
    void receive(byte[] datagram, InetSocketAddress from, InetSocketAddress to);
}
