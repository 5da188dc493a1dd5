package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.crypto.DeterministicRandomSource;
import io.causeway.ike.timing.RetransmitSchedule;
import io.causeway.ike.v1.message.IsakmpHeader;
import io.causeway.ike.v1.message.KePayload1;
import io.causeway.ike.v1.message.V1ExchangeType;
import io.causeway.ike.v1.message.V1Fragmenter;
import io.causeway.ike.v1.message.V1Message;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** First IKEv1 messages arriving in fragments, before any SA exists: a flood of them keeps at most 32 collections,
 * each for at most 30 s. */
class IsakmpFirstFragmentsTest {
    private static final InetSocketAddress PEER = new InetSocketAddress(Net.ip("198.51.100.9"), 500);

    private static List<byte[]> fragmentsOfFirstMessage(long cookieI) {
        byte[] whole = V1Message.encode(IsakmpHeader.of(cookieI, 0, V1ExchangeType.AGGRESSIVE, 0, 0),
                List.of(new KePayload1(new byte[600])));
        return V1Fragmenter.split(whole, 300, 1);
    }

    @Test
    void aFloodOfFirstFragmentsKeepsAtMostThirtyTwoCollectionsAndACompletedOneIsForgotten() {
        Lab.Recorder actions = new Lab.Recorder("east");
        EngineContext.DropCounter drops = new EngineContext.DropCounter();
        IsakmpSas sas = new IsakmpSas(new EngineContext(io.causeway.conf.secrets.Secrets.empty(), new DeterministicRandomSource("east"),
                actions, RetransmitSchedule.STRONGSWAN, drops), a -> List.of());
        for (long cookie = 1; cookie <= 1000; cookie++) {
            byte[] first = fragmentsOfFirstMessage(cookie).get(0);
            sas.receive(first, new IkeDatagram(first, Lab.EAST, PEER), 0);
        }
        assertThat(sas.firstMessageReassemblies()).isEqualTo(IsakmpSas.MAX_FIRST_MESSAGE_REASSEMBLIES);

        List<byte[]> newest = fragmentsOfFirstMessage(1000);
        assertThat(newest).hasSizeGreaterThan(2);
        for (byte[] f : newest.subList(1, newest.size())) {
            sas.receive(f, new IkeDatagram(f, Lab.EAST, PEER), 0);
        }
        // complete: handed on as a first message (no connection takes it, so it is dropped) and forgotten
        assertThat(sas.firstMessageReassemblies()).isEqualTo(IsakmpSas.MAX_FIRST_MESSAGE_REASSEMBLIES - 1);
        assertThat(sas.sessions()).isEmpty();
        assertThat(actions.takeSent()).isEmpty();

        // 30 s later the rest is given up when the next first fragment arrives
        byte[] late = fragmentsOfFirstMessage(5000).get(0);
        sas.receive(late, new IkeDatagram(late, Lab.EAST, PEER), FragmentInbox.REASSEMBLY_TIMEOUT_MILLIS + 1);
        assertThat(sas.firstMessageReassemblies()).isEqualTo(1);
    }
}
