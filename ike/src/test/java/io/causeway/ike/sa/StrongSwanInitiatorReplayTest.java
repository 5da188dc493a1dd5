package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.crypto.DeterministicRandomSource;
import io.causeway.ike.crypto.NatDetection;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.KePayload;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.SaPayload;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interop anchor: strongSwan 5.9.8's real IKE_SA_INIT request (192.0.2.1 -> 192.0.2.2) fed to our responder. */
class StrongSwanInitiatorReplayTest {
    @TempDir
    Path dir;

    @Test
    void responderAnswersStrongSwansRequestChoosingModp2048() throws Exception {
        var loaded = Lab.load(dir, """
                conn s2s
                    authby=psk
                    left=192.0.2.2
                    leftid=east.example
                    leftsubnet=10.2.0.0/24
                    right=%any
                    rightid=west.example
                    rightsubnet=10.1.0.0/24
                    ike=aes128-sha256-modp2048
                    esp=aes128gcm16
                    auto=add
                """, "west.example east.example : PSK \"correct horse battery staple\"\n");
        Lab.Recorder actions = new Lab.Recorder("east");
        IkeEngine east = new IkeEngine(loaded.config().activeConnections(), loaded.config().secrets(),
                new DeterministicRandomSource("east"), actions);
        InetSocketAddress local = new InetSocketAddress(Net.ip("192.0.2.2"), 500);
        InetSocketAddress peer = new InetSocketAddress(Net.ip("192.0.2.1"), 500);

        east.receive(new IkeDatagram(capture("plain-01-ike_sa_init-request"), local, peer), 0);

        assertThat(east.droppedMessages()).isZero();
        assertThat(actions.sentLog).singleElement().satisfies(d -> {
            assertThat(d.remote()).isEqualTo(peer);
            assertThat(d.local()).isEqualTo(local);
        });
        IkeMessage answer = IkeMessage.decode(actions.sentLog.get(0).bytes());
        assertThat(answer.header().response()).isTrue();
        assertThat(answer.header().initiator()).isFalse();
        assertThat(answer.header().messageId()).isZero();
        assertThat(answer.header().initiatorSpi()).isEqualTo(0xef6e770785cdb9b6L);
        assertThat(answer.header().responderSpi()).isNotZero();
        SaPayload sa = answer.first(SaPayload.class).orElseThrow();
        assertThat(sa.proposals()).singleElement().satisfies(p -> {
            assertThat(p.number()).isEqualTo(1);
            assertThat(p.toConf().orElseThrow().toString()).isEqualTo("aes128-sha256-modp2048");
        });
        assertThat(answer.first(KePayload.class).orElseThrow().dhGroup()).isEqualTo(14);
        assertThat(answer.first(KePayload.class).orElseThrow().keyData()).hasSize(256);
        assertThat(answer.first(NoncePayload.class).orElseThrow().nonce()).hasSize(32);
        byte[] spiI = IkeSession.spiBytes(answer.header().initiatorSpi());
        byte[] spiR = IkeSession.spiBytes(answer.header().responderSpi());
        assertThat(NatDetection.matches(answer.notifies(NotifyType.NAT_DETECTION_SOURCE_IP).get(0).data(), spiI, spiR, local))
                .isTrue();
        assertThat(NatDetection.matches(answer.notifies(NotifyType.NAT_DETECTION_DESTINATION_IP).get(0).data(), spiI, spiR,
                peer)).isTrue();
        assertThat(answer.notifies(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED)).hasSize(1);
        // our NAT-D hash agrees with strongSwan's: its DESTINATION_IP hash is the one of our address
        IkeMessage request = IkeMessage.decode(capture("plain-01-ike_sa_init-request"));
        assertThat(NatDetection.matches(request.notifies(NotifyType.NAT_DETECTION_DESTINATION_IP).get(0).data(), spiI,
                new byte[8], local)).isTrue();
        assertThat(east.session(answer.header().responderSpi())).isPresent();

        // a retransmission of the same request gets the same octets, not a second SA
        east.receive(new IkeDatagram(capture("plain-01-ike_sa_init-request"), local, peer), 4000);
        assertThat(actions.sentLog).hasSize(2);
        assertThat(actions.sentLog.get(1).bytes()).isEqualTo(actions.sentLog.get(0).bytes());
        assertThat(east.sessions()).hasSize(1);
    }

    private static byte[] capture(String name) throws IOException {
        try (InputStream in = StrongSwanInitiatorReplayTest.class.getResourceAsStream("/v2/strongswan-5.9.8/" + name + ".hex")) {
            StringBuilder hex = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.startsWith("#")) {
                    hex.append(line.strip());
                }
            }
            return HexFormat.of().parseHex(hex);
        }
    }
}
