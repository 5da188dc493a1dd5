package io.causeway.tun.nativeio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrnoTest {
    /** What Linux's icmp_err_convert and icmpv6_err_convert turn ICMP errors into (net/ipv4/icmp.c, net/ipv6/icmp.c). */
    @Test
    void theErrorsIcmpBecomesArePendingNetworkErrors() {
        int[] fromIcmp = {Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.ENOPROTOOPT, Errno.ECONNREFUSED, Errno.EMSGSIZE,
            Errno.EHOSTDOWN, Errno.ENONET, Errno.EPROTO};
        for (int errno : fromIcmp) {
            assertThat(Errno.isPendingNetworkError(errno)).as("errno %d", errno).isTrue();
        }
    }

    @Test
    void failuresOfTheReceiveItselfAreNot() {
        int[] ownFailures = {Errno.EBADF, Errno.EINVAL, Errno.EAGAIN, Errno.EINTR, Errno.ENOBUFS, Errno.EACCES,
            Errno.EOPNOTSUPP, Errno.ENOSYS, 0};
        for (int errno : ownFailures) {
            assertThat(Errno.isPendingNetworkError(errno)).as("errno %d", errno).isFalse();
        }
    }
}
