/**
 * Running under systemd: the sd_notify(3) protocol spoken in Java (no libsystemd), the service
 * status line, and log output in journald's format.
 */
package io.causeway.daemon.systemd;
