package io.kronika.launcher;

import picocli.CommandLine;

final class KronikaVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = KronikaVersion.class.getPackage().getImplementationVersion();
        return new String[]{"kronika " + (version == null ? "development build" : version)};
    }
}
