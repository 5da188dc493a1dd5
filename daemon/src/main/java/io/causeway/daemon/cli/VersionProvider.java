package io.causeway.daemon.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest, written there by the build. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"causeway " + (version == null ? "(development build)" : version)};
    }
}
