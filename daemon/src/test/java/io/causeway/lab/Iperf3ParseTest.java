package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Iperf3ParseTest {
    // Captured on the lab machine: iperf3 3.12, `iperf3 -c 192.0.2.2 -B 192.0.2.1 -t 1 -J` from
    // west to east over the bare veth (tabs replaced by spaces).
    private static final String ONE_SECOND_OVER_VETH = """
        {
          "start":  {
            "connected":  [{
                "socket":  5,
                "local_host":  "192.0.2.1",
                "local_port":  40215,
                "remote_host":  "192.0.2.2",
                "remote_port":  5201
              }],
            "version":  "iperf 3.12",
            "system_info":  "Linux vm 6.18.44-fc-v782 #1 SMP PREEMPT_DYNAMIC @0 x86_64",
            "timestamp":  {
              "time":  "Mon, 23 Nov 2026 09:14:23 GMT",
              "timesecs":  1795425263
            },
            "connecting_to":  {
              "host":  "192.0.2.2",
              "port":  5201
            },
            "cookie":  "ogvygkicaiox275nv2elr43dl3k3dwqx7i7v",
            "tcp_mss_default":  1448,
            "target_bitrate":  0,
            "sock_bufsize":  0,
            "sndbuf_actual":  16384,
            "rcvbuf_actual":  131072,
            "test_start":  {
              "protocol":  "TCP",
              "num_streams":  1,
              "blksize":  131072,
              "omit":  0,
              "duration":  1,
              "bytes":  0,
              "blocks":  0,
              "reverse":  0,
              "tos":  0,
              "target_bitrate":  0
            }
          },
          "intervals":  [{
              "streams":  [{
                  "socket":  5,
                  "start":  0,
                  "end":  1.000209,
                  "seconds":  1.0002089738845825,
                  "bytes":  2148663296,
                  "bits_per_second":  17185715002.376625,
                  "retransmits":  227,
                  "snd_cwnd":  353312,
                  "snd_wnd":  6547456,
                  "rtt":  41,
                  "rttvar":  9,
                  "pmtu":  1500,
                  "omitted":  false,
                  "sender":  true
                }],
              "sum":  {
                "start":  0,
                "end":  1.000209,
                "seconds":  1.0002089738845825,
                "bytes":  2148663296,
                "bits_per_second":  17185715002.376625,
                "retransmits":  227,
                "omitted":  false,
                "sender":  true
              }
            }],
          "end":  {
            "streams":  [{
                "sender":  {
                  "socket":  5,
                  "start":  0,
                  "end":  1.000209,
                  "seconds":  1.000209,
                  "bytes":  2148663296,
                  "bits_per_second":  17185714553.658287,
                  "retransmits":  227,
                  "max_snd_cwnd":  353312,
                  "max_snd_wnd":  6547456,
                  "max_rtt":  41,
                  "min_rtt":  41,
                  "mean_rtt":  41,
                  "sender":  true
                },
                "receiver":  {
                  "socket":  5,
                  "start":  0,
                  "end":  1.000756,
                  "seconds":  1.000209,
                  "bytes":  2148663296,
                  "bits_per_second":  17176321069.271631,
                  "sender":  true
                }
              }],
            "sum_sent":  {
              "start":  0,
              "end":  1.000209,
              "seconds":  1.000209,
              "bytes":  2148663296,
              "bits_per_second":  17185714553.658287,
              "retransmits":  227,
              "sender":  true
            },
            "sum_received":  {
              "start":  0,
              "end":  1.000756,
              "seconds":  1.000756,
              "bytes":  2148663296,
              "bits_per_second":  17176321069.271631,
              "sender":  true
            },
            "cpu_utilization_percent":  {
              "host_total":  86.360179033443,
              "host_user":  0.30324687769508418,
              "host_system":  86.05703197368,
              "remote_total":  70.9273278122402,
              "remote_user":  2.4977817036515955,
              "remote_system":  68.4295461085886
            },
            "sender_tcp_congestion":  "bbr",
            "receiver_tcp_congestion":  "bbr"
          }
        }
        """;

    // Captured the same way with no server listening.
    private static final String CONNECTION_REFUSED = """
        {
          "start":  {
            "connected":  [],
            "version":  "iperf 3.12",
            "system_info":  "Linux vm 6.18.44-fc-v782 #1 SMP PREEMPT_DYNAMIC @0 x86_64"
          },
          "intervals":  [],
          "end":  {
          },
          "error":  "unable to connect to server: Connection refused"
        }
        """;

    // Captured on the lab machine: iperf3 3.12, `iperf3 -c 127.0.0.1 -B 127.0.0.1 -t 1 -P 2 -J` over the
    // loopback of a namespace of its own; only "end" kept, and of each stream only its receiver's totals.
    private static final String TWO_STREAMS_END = """
        {
          "end": {
            "streams": [
              {"receiver": {"socket": 5, "seconds": 1.001573, "bytes": 580517888,
                            "bits_per_second": 4636691940.052337}},
              {"receiver": {"socket": 7, "seconds": 1.001573, "bytes": 606732288,
                            "bits_per_second": 4846070668.435824}}
            ],
            "sum_sent": {"seconds": 1.001573, "bytes": 1187250176, "bits_per_second": 9483084516.056244,
                         "retransmits": 6},
            "sum_received": {"seconds": 1.001607, "bytes": 1187250176, "bits_per_second": 9482762608.48816}
          }
        }
        """;

    @Test
    void parallelStreamsAreReadAsTheirSum() {
        Iperf3.Result result = Iperf3.parse(TWO_STREAMS_END);

        // the SUM line, not the first stream's 4636.7
        assertThat(result.mbitPerSecond()).isBetween(9482.7, 9482.8);
        assertThat(result.retransmits()).isEqualTo(6);
    }

    @Test
    void readsReceivedBitsPerSecondAndSenderDetails() {
        Iperf3.Result result = Iperf3.parse(ONE_SECOND_OVER_VETH);

        assertThat(result.bitsPerSecond()).isEqualTo(17176321069.271631);
        assertThat(result.mbitPerSecond()).isBetween(17176.0, 17177.0);
        assertThat(result.sentBitsPerSecond()).isEqualTo(17185714553.658287);
        assertThat(result.retransmits()).isEqualTo(227);
        assertThat(result.seconds()).isEqualTo(1.000756);
    }

    @Test
    void reportsIperfsOwnErrorMessage() {
        assertThatThrownBy(() -> Iperf3.parse(CONNECTION_REFUSED))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("unable to connect to server: Connection refused");
    }

    @Test
    void rejectsOutputThatIsNotJson() {
        assertThatThrownBy(() -> Iperf3.parse("iperf3: error - unable to connect"))
                .isInstanceOf(LabException.class);
    }

    // Captured on the lab machine: iperf3 3.12, `iperf3 -c 127.0.0.1 -p 5301 -u -b 50M -t 2 -J` in a namespace of its
    // own; only the "end" object's two sums are kept.
    private static final String UDP_TWO_SECONDS = """
        {
          "end": {
            "sum_sent": {
              "start": 0,
              "end": 2.000114,
              "seconds": 2.000114,
              "bytes": 12517376,
              "bits_per_second": 50066650.200938545,
              "jitter_ms": 0,
              "lost_packets": 0,
              "packets": 382,
              "lost_percent": 0,
              "sender": true
            },
            "sum_received": {
              "start": 0,
              "end": 2.000169,
              "seconds": 2.000169,
              "bytes": 12517376,
              "bits_per_second": 50065273.484390564,
              "jitter_ms": 0.010553153088199388,
              "lost_packets": 0,
              "packets": 382,
              "lost_percent": 0,
              "sender": false
            }
          }
        }
        """;

    @Test
    void readsWhatTheUdpReceiverCounted() {
        Iperf3.UdpResult result = Iperf3.parseUdp(UDP_TWO_SECONDS);

        assertThat(result.packets()).isEqualTo(382);
        assertThat(result.lost()).isZero();
        assertThat(result.mbitPerSecond()).isBetween(50.06, 50.07);
    }

    @Test
    void aUdpReportWithoutCountsIsAnError() {
        assertThatThrownBy(() -> Iperf3.parseUdp("{\"end\": {}}")).isInstanceOf(LabException.class)
                .hasMessageContaining("lost_packets");
    }
}
