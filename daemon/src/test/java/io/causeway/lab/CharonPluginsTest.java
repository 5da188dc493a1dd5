package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CharonPluginsTest {
    // charon.log of strongSwan 5.9.8 on Debian 12, written by the lab's filelog (time_format %T), with every
    // package scripts/test installs
    private static final String ALL_LOADED = """
            08:33:06 00[LIB] loaded plugins: charon random nonce openssl aes sha1 sha2 md5 hmac gmp gcm kdf pem pkcs1 \
            x509 pubkey kernel-libipsec kernel-netlink socket-default vici
            08:33:06 00[JOB] spawning 16 worker threads
            """;
    // captured the same way with libstrongswan-standard-plugins purged: charon only warns and starts anyway
    private static final String STANDARD_PLUGINS_MISSING = """
            08:38:49 00[DMN] Starting IKE charon daemon (strongSwan 5.9.8, Linux 6.18.44-fc-v1147, x86_64)
            08:38:49 00[LIB] plugin 'openssl': failed to load - openssl_plugin_create not found and no plugin file available
            08:38:49 00[LIB] plugin 'gcm': failed to load - gcm_plugin_create not found and no plugin file available
            08:38:49 00[LIB] created TUN device: ipsec0
            08:38:49 00[LIB] loaded plugins: charon random nonce aes sha1 sha2 md5 hmac gmp kdf pem pkcs1 x509 pubkey \
            kernel-libipsec kernel-netlink socket-default vici
            08:38:49 00[LIB] dropped capabilities, running as uid 0, gid 0
            """;

    @Test
    void everyConfiguredPluginLoadedIsNothingMissing() {
        Set<String> loaded = CharonPlugins.loaded(ALL_LOADED).orElseThrow();
        assertThat(loaded).contains("openssl", "gcm", "kernel-libipsec", "vici");
        assertThat(CharonPlugins.missing(SwanProcess.PLUGINS, loaded)).isEmpty();
    }

    @Test
    void missingStandardPluginsAreNamedWithTheirPackageInOneLine() {
        List<String> missing = CharonPlugins.missing(SwanProcess.PLUGINS,
                CharonPlugins.loaded(STANDARD_PLUGINS_MISSING).orElseThrow());
        assertThat(missing).containsExactly("openssl", "gcm");
        assertThat(CharonPlugins.describe(missing)).isEqualTo("charon did not load plugins openssl, gcm: apt-get install"
                + " libstrongswan-standard-plugins (scripts/test installs it)");
    }

    @Test
    void starterNeedsStrokeFromItsOwnPackage() {
        List<String> missing = CharonPlugins.missing(SwanProcess.PLUGINS + " stroke",
                CharonPlugins.loaded(ALL_LOADED).orElseThrow());
        assertThat(missing).containsExactly("stroke");
        assertThat(CharonPlugins.describe(missing)).contains("plugin stroke: apt-get install strongswan-starter");
    }

    @Test
    void noLineYetIsEmpty() {
        assertThat(CharonPlugins.loaded("08:20:41 00[DMN] Starting IKE charon daemon\n")).isEmpty();
    }
}
