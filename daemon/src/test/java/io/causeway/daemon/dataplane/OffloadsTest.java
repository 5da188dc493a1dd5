package io.causeway.daemon.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OffloadsTest {
    @Test
    void unsetMeansEverything() {
        assertEquals(Offloads.ALL, Offloads.parse(null));
        assertEquals(Offloads.ALL, Offloads.parse(" "));
    }

    @Test
    void namesTurnOnWhatTheyName() {
        assertEquals(Offloads.NONE, Offloads.parse("none"));
        assertEquals(new Offloads(true, false), Offloads.parse("tun"));
        assertEquals(new Offloads(false, true), Offloads.parse("GSO"));
        assertEquals(Offloads.ALL, Offloads.parse("tun, gso"));
    }

    @Test
    void anUnknownNameIsAnErrorThatNamesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Offloads.parse("tun,tso"));
        assertTrue(e.getMessage().contains("'tso'"), e.getMessage());
        assertTrue(e.getMessage().contains("causeway.offload"), e.getMessage());
    }
}
