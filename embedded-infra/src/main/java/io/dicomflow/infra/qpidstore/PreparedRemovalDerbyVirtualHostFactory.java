package io.dicomflow.infra.qpidstore;

import java.util.Map;
import org.apache.qpid.server.model.AbstractConfiguredObjectTypeFactory;
import org.apache.qpid.server.model.ConfiguredObject;
import org.apache.qpid.server.model.VirtualHostNode;
import org.apache.qpid.server.plugin.ConditionallyAvailable;
import org.apache.qpid.server.store.derby.DerbyUtils;
import org.apache.qpid.server.virtualhost.derby.DerbyVirtualHostImpl;

/**
 * Qpid plugin (listed in {@code META-INF/services}) creating virtual hosts of type
 * {@value PreparedRemovalDerbyVirtualHost#TYPE}; available, like Qpid's Derby factory, when Derby is on the class path.
 */
public final class PreparedRemovalDerbyVirtualHostFactory extends AbstractConfiguredObjectTypeFactory<DerbyVirtualHostImpl>
        implements ConditionallyAvailable {

    @SuppressWarnings("unchecked")
    public PreparedRemovalDerbyVirtualHostFactory() {
        // Qpid derives the type name and the category from this class (through its PreparedRemovalDerbyVirtualHost
        // interface); the cast only widens Qpid's self-type generics, the instances are created below
        super((Class<DerbyVirtualHostImpl>) (Class<?>) PreparedRemovalDerbyVirtualHostImpl.class);
    }

    @Override
    public boolean isAvailable() {
        return DerbyUtils.isAvailable();
    }

    @Override
    protected DerbyVirtualHostImpl createInstance(Map<String, Object> attributes, ConfiguredObject<?> parent) {
        return new PreparedRemovalDerbyVirtualHostImpl(attributes, (VirtualHostNode<?>) parent);
    }
}
