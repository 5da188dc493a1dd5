package io.causeway.daemon.dataplane;

import io.causeway.ike.sa.IkeIntakeScreen;
import java.net.InetSocketAddress;

/**
  * Receives the IKE datagrams that arrive on the data path's UDP sockets: everything on port
  * 500, and what carries the non-ESP marker on 4500 (RFC 3948 2.2). The IKE engine plugs in
  * here; until it does, the data plane counts and drops them. Called on a receive thread; the
  * bytes are a copy the sink may keep.
  */
public interface IkeDatagramSink {
    void receive(byte[] datagram, InetSocketAddress from, InetSocketAddress to);

    /**
      * The look a reader takes before it copies anything for a datagram: {@code buf[off, off+len)}
      * is the IKE message (at least its first {@link IkeIntakeScreen#HEADER_LENGTH} octets are in
      * {@code buf}) from a source folding to {@code sourceHash}; only a {@code PASS} is received.
      * Must not allocate. Everything passes unless the sink screens.
      */
    default IkeIntakeScreen.Verdict screen(byte[] buf, int off, int len, int sourceHash) {
        return IkeIntakeScreen.Verdict.PASS;
    }
}
