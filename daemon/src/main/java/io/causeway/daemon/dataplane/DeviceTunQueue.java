package io.causeway.daemon.dataplane;

import io.causeway.tun.TunDevice;

/** The production {@link TunQueue}: a queue of a kernel TUN device. */
final class DeviceTunQueue implements TunQueue {
    private final TunDevice device;

    DeviceTunQueue(TunDevice device) {
        this.device = device;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        return device.read(buf, off, len);
    }

    @Override
    public int write(byte[] buf, int off, int len) {
        return device.write(buf, off, len);
    }

    @Override
    public boolean offload() {
        return device.offload();
    }

    @Override
    public String name() {
        return device.name();
    }
}
