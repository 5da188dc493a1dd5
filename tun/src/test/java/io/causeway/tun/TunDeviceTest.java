package io.causeway.tun;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Failures that need no privileges to provoke. */
class TunDeviceTest {

    @Test
    void missingCloneDeviceSaysToLoadTheModule() {
        assertThatThrownBy(() -> TunDevice.open("cw0", false, "/nonexistent/net/tun"))
                .isInstanceOf(TunException.class)
                .hasMessage("cannot open /nonexistent/net/tun: No such file or directory (load the tun module: modprobe tun)");
    }

    @Test
    void rejectsNamesTheKernelCannotHold() {
        assertThatThrownBy(() -> TunDevice.open("a-name-far-too-long"))
                .isInstanceOf(TunException.class)
                .hasMessageContaining("must be 1 to 15 characters");
        assertThatThrownBy(() -> TunDevice.open(""))
                .isInstanceOf(TunException.class);
    }
}
