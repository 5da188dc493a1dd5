/**
 * Internal: the libc bindings and the allocation-free heap-array call path shared by the TUN,
 * socket and netlink code. Public only because Java has no module-private packages here; code
 * outside {@code io.causeway.tun} should not use it.
 */
package io.causeway.tun.nativeio;
