/**
 * The OS boundary of Causeway, all through jnr-ffi: {@link io.causeway.tun.TunDevice} (layer-3
 * TUN, optionally multi-queue, optionally with offloads: virtio_net_hdr, TSO/USO), rtnetlink in
 * {@code io.causeway.tun.netlink} (links, addresses, routes), socket helpers in
 * {@code io.causeway.tun.socket} (pre-encoded sockaddrs, sendto, raw ESP sockets, and
 * {@code UdpSocket}: UDP with GRO on receive and GSO batches on send) and
 * {@code io.causeway.tun.netns} (run code in another network namespace).
 *
 * <p>Data-path calls ({@code TunDevice.read/write}, {@code Sockets.sendTo},
 * {@code RawSocket.receive/send}, {@code UdpSocket.receive/send/sendTo}) take
 * {@code (byte[], offset, length)} or preallocated native buffers, allocate nothing and make one
 * system call when data is ready; blocked readers are woken by {@code close()}.
 * Failures at setup throw {@link io.causeway.tun.OsException} subclasses whose one-line
 * message says what to do; per-packet "no room" conditions return -1 (or 0 datagrams) for the
 * caller to count.
 */
package io.causeway.tun;
