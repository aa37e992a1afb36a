package io.dicomflow.infra.qpidstore;

import java.util.Map;
import org.apache.qpid.server.model.VirtualHostNode;
import org.apache.qpid.server.store.MessageStore;
import org.apache.qpid.server.virtualhost.derby.DerbyVirtualHostImpl;

/**
 * The {@link PreparedRemovalDerbyVirtualHost} type: Qpid's Derby virtual host with
 * {@link PreparedRemovalDerbyMessageStore} as its message store; all else is inherited.
 *
 * <p>Qpid's own factory creates a generated subclass that adds access checks to management operations (statistics
 * reset, message export/import, clearing queues). The embedded broker exposes no management interface (AMQP 0-9-1
 * only, no HTTP or AMQP 1.0 management port, no access control provider), so nothing can call them and this class
 * does without that layer.
 */
public class PreparedRemovalDerbyVirtualHostImpl extends DerbyVirtualHostImpl
        implements PreparedRemovalDerbyVirtualHost<DerbyVirtualHostImpl> {

    public PreparedRemovalDerbyVirtualHostImpl(Map<String, Object> attributes, VirtualHostNode<?> virtualHostNode) {
        super(attributes, virtualHostNode);
    }

    @Override
    protected MessageStore createMessageStore() {
        return new PreparedRemovalDerbyMessageStore();
    }
}
