/**
  * Network-namespace lab: two gateways (west, east), optionally behind NAT, with real peers in
  * them, for {@code causeway demo}, the integration tests and {@link io.causeway.lab.ThroughputBench}.
  *
  * <p>Everything here needs root and runs host tools as processes: {@code ip}, {@code nft},
  * {@code ping}, {@code iperf3}, {@code ss}, {@code tcpdump}, {@code tshark}, and strongSwan's
  * {@code charon}/{@code swanctl} with the kernel-libipsec plugin (this kernel has no ESP). All
  * names carry a {@link io.causeway.lab.RunPrefix} so parallel runs never collide and cleanup
  * only ever removes what one run made. Waiting is always polling with a deadline
  * ({@link io.causeway.lab.Poll}), never a fixed sleep.
  *
  * <pre>
  *   String prefix = RunPrefix.next();
  *   try (Topology lab = Topology.create(prefix, false);
  *        StrongSwan east = StrongSwan.startAndLoad(lab.east(), SwanctlConf.eastResponder(lab).build());
  *        StrongSwan west = StrongSwan.startAndLoad(lab.west(), SwanctlConf.westInitiator(lab).build())) {
  *     west.initiate(SwanctlConf.DEFAULT_CHILD).orThrow();
  *     west.waitEstablished(Duration.ofSeconds(20));
  *     Ping.Result r = Ping.run(lab.west(), lab.westHostV4(), lab.eastHostV4(), 5);
  *   }
  * </pre>
  */
package io.causeway.lab;
