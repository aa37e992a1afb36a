package io.dicomflow.cli;

import picocli.CommandLine.IVersionProvider;

/** The version comes from the jar manifest (Maven writes it); "dev" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = DicomflowCli.class.getPackage().getImplementationVersion();
        return new String[] {"dicomflow " + (version == null ? "dev" : version)};
    }
}
