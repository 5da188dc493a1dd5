/**
 * ESP (RFC 4303) for byte arrays, sans-IO: no sockets, no threads, no clock.
 *
 * <p>Outbound: {@link io.causeway.esp.policy.Spd#lookup} finds the {@link io.causeway.esp.OutboundSa} for an
 * inner packet, and {@link io.causeway.esp.OutboundSa#seal} encrypts it in place behind
 * {@link io.causeway.esp.OutboundSa#headroom()} bytes. Inbound: {@link io.causeway.esp.encap.UdpEncap} tells
 * ESP from IKE and keepalives on port 4500, {@link io.causeway.esp.policy.Sad#lookup} finds the
 * {@link io.causeway.esp.InboundSa} by SPI, and {@link io.causeway.esp.InboundSa#open} checks replay, ICV,
 * trailer and selectors, reporting a {@link io.causeway.esp.DropReason}.
 *
 * <p>Threads: SAs are shared by all workers. Sequence numbers and counters are atomics, the replay window
 * takes a short monitor, and cipher contexts are per thread. The control thread publishes new
 * {@link io.causeway.esp.policy.Sad}/{@link io.causeway.esp.policy.Spd} snapshots through their holders.
 */
package io.causeway.esp;
