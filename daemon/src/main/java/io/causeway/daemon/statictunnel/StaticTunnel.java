package io.causeway.daemon.statictunnel;

import io.causeway.conf.net.Subnet;
import io.causeway.daemon.dataplane.DataPlane;
import io.causeway.daemon.dataplane.TransportOverhead;
import io.causeway.daemon.dataplane.TransportRoutes;
import io.causeway.esp.EspMode;
import io.causeway.esp.EspOverhead;
import io.causeway.esp.EspSuite;
import io.causeway.esp.InboundSa;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaCounters;
import io.causeway.esp.SaKeys;
import io.causeway.esp.policy.TrafficSelector;
import io.causeway.tun.netlink.Netlink;
import io.causeway.tun.netlink.RouteLookup;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * One statically keyed CHILD_SA pair on the data plane, with the TUN device set up and routes
  * to the remote selectors: what the IKE engine will do per negotiated CHILD_SA, done here from
  * fixed keys so the data path can be run and measured on its own. In transport mode the route
  * is the peer's own address, in a table of its own ({@link TransportRoutes}).
  */
public final class StaticTunnel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StaticTunnel.class);
    private static final int DEFAULT_OUTER_MTU = 1500;

    private final StaticTunnelConfig config;
    private final DataPlane plane;
    private final OutboundSa out;
    private final InboundSa in;
    private final int innerMtu;
    private final TransportRoutes transportRoutes;
    /** Kept open while the tunnel runs, for the transport-mode rule and route it removes at close. */
    private final Netlink netlink;

    private StaticTunnel(StaticTunnelConfig config, DataPlane plane, OutboundSa out, InboundSa in, int innerMtu,
            TransportRoutes transportRoutes, Netlink netlink) {
        this.config = config;
        this.plane = plane;
        this.out = out;
        this.in = in;
        this.innerMtu = innerMtu;
        this.transportRoutes = transportRoutes;
        this.netlink = netlink;
    }

    public static StaticTunnel start(StaticTunnelConfig c) throws InterruptedException {
        EspSuite suite = EspSuite.parse(c.suite());
        List<TrafficSelector> local = c.localTs().stream().map(TrafficSelector::parse).toList();
        List<TrafficSelector> remote = c.remoteTs().stream().map(TrafficSelector::parse).toList();
        OutboundSa out = new OutboundSa(saConfig(c, c.spiOut(), suite, c.keyOut(), c.integKeyOut(), local, remote));
        InboundSa in = new InboundSa(saConfig(c, c.spiIn(), suite, c.keyIn(), c.integKeyIn(), local, remote));

        boolean ipv6Outer = c.remote() instanceof Inet6Address;
        DataPlane plane = DataPlane.start(
                new DataPlane.Settings(c.tun(), c.workers(), c.local(), c.localPort(), 0, !c.udpEncap(), c.fwmark()),
                (datagram, from, to) -> log.debug("IKE datagram from {} ignored: no IKE with static keys", from));
        TransportRoutes transportRoutes = null;
        Netlink netlink = Netlink.open();
        try {
            // as the marked ESP socket goes: in transport mode unmarked traffic to the peer may take the TUN
            int outerMtu = netlink.routeGet(c.remote(), c.fwmark()).map(RouteLookup::mtu).filter(m -> m > 0)
                    .orElse(DEFAULT_OUTER_MTU);
            int innerMtu = c.transportMode()
                    ? TransportOverhead.maxInner(outerMtu, suite, ipv6Outer, c.udpEncap())
                    : EspOverhead.maxInner(outerMtu, suite, ipv6Outer, c.udpEncap());
            netlink.setMtu(plane.tunName(), innerMtu);
            netlink.setLinkUp(plane.tunName());
            plane.install(out, in, new InetSocketAddress(c.remote(), c.remotePort()), c.udpEncap(), innerMtu);
            if (c.transportMode()) {
                transportRoutes = new TransportRoutes(netlink, plane.tunName(), c.fwmark(), c.routingTable());
                transportRoutes.add(c.local(), c.remote());
            } else {
                for (String ts : c.remoteTs()) {
                    Subnet subnet = Subnet.parse(ts);
                    netlink.addRoute(subnet.address(), subnet.prefixLength(), plane.tunName(),
                            sourceWithin(c.localTs(), subnet.address() instanceof Inet6Address), 0);
                }
            }
            log.info("static tunnel {} up on {}: {} <-> {} {} {} {}, inner MTU {}", c.name(), plane.tunName(),
                    c.local(), c.remote(), c.transportMode() ? "transport" : "tunnel", suite.name(),
                    c.udpEncap() ? "in UDP" : "raw ESP", innerMtu);
            return new StaticTunnel(c, plane, out, in, innerMtu, transportRoutes, netlink);
        } catch (RuntimeException e) {
            if (transportRoutes != null) transportRoutes.close();
            netlink.close();
            plane.close();
            throw e;
        }
    }

    private static SaConfig saConfig(StaticTunnelConfig c, int spi, EspSuite suite, byte[] key, byte[] integ,
            List<TrafficSelector> local, List<TrafficSelector> remote) {
        return SaConfig.builder(spi, suite, new SaKeys(key, integ))
                .esn(c.esn())
                .replayWindow(c.replayWindow())
                .mode(c.transportMode() ? EspMode.TRANSPORT : EspMode.TUNNEL)
                .selectors(local, remote)
                .build();
    }

    /**
      * An address of this host inside the local selectors, used as the routes' preferred source:
      * traffic the gateway itself originates then matches the policy (strongSwan does the same).
      */
    private static InetAddress sourceWithin(List<String> localTs, boolean ipv6) {
        List<Subnet> subnets = localTs.stream().map(Subnet::parse).toList();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if ((a instanceof Inet6Address) != ipv6 || a.isLinkLocalAddress()) continue;
                    for (Subnet s : subnets) if (s.contains(a)) return a;
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list local addresses: {}", e.getMessage());
        }
        return null;
    }

    /** The tunnel in the shape of `status --json` (DESIGN.md), plus the data path's drop counters. */
    public Map<String, Object> status() {
        SaCounters inCount = in.counters();
        SaCounters outCount = out.counters();
        Map<String, Object> child = new LinkedHashMap<>();
        child.put("name", config.name());
        child.put("local_ts", config.localTs());
        child.put("remote_ts", config.remoteTs());
        child.put("spi_in", String.format("%08x", in.spi()));
        child.put("spi_out", String.format("%08x", out.spi()));
        child.put("proposal", out.config().suite().name());
        child.put("mode", config.transportMode() ? "transport" : "tunnel");
        child.put("encap", config.udpEncap());
        child.put("bytes_in", inCount.bytesIn());
        child.put("bytes_out", outCount.bytesOut());
        child.put("packets_in", inCount.packetsIn());
        child.put("packets_out", outCount.packetsOut());
        child.put("rekey_in_s", null);
        child.put("inner_mtu", innerMtu);
        Map<String, Object> tunnel = new LinkedHashMap<>();
        tunnel.put("name", config.name());
        tunnel.put("state", "CONNECTED");
        tunnel.put("version", "static");
        tunnel.put("local", config.local().getHostAddress());
        tunnel.put("remote", config.remote().getHostAddress());
        tunnel.put("local_id", null);
        tunnel.put("remote_id", null);
        tunnel.put("ike", null);
        tunnel.put("children", List.of(child));
        tunnel.put("last_error", null);
        tunnel.put("drops", plane.counters().snapshot());
        Map<String, Object> offload = new LinkedHashMap<>();
        offload.put("tun", plane.tunOffload());
        offload.putAll(plane.counters().offloadSnapshot());
        tunnel.put("offload", offload);
        return tunnel;
    }

    public String name() {
        return config.name();
    }

    @Override
    public void close() {
        // The rule outlives the device, so it goes explicitly; the routes would go with the device.
        if (transportRoutes != null) transportRoutes.close();
        netlink.close();
        plane.close(); // the kernel removes the device's routes with the device
    }
}
