package io.dicomflow.infra.qpidstore;

import java.util.Collection;
import java.util.Set;
import org.apache.qpid.server.model.ConfiguredObject;
import org.apache.qpid.server.plugin.ConfiguredObjectRegistration;

/** Qpid plugin (listed in {@code META-INF/services}) adding the {@link PreparedRemovalDerbyVirtualHost} type to Qpid's model. */
public final class PreparedRemovalDerbyRegistration implements ConfiguredObjectRegistration {

    @Override
    public String getType() {
        return "io.dicomflow.infra.qpidstore";
    }

    @Override
    public Collection<Class<? extends ConfiguredObject>> getConfiguredObjectClasses() {
        return Set.of(PreparedRemovalDerbyVirtualHost.class);
    }
}
