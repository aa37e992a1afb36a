package io.dicomflow.infra.qpidstore;

import org.apache.qpid.server.model.ManagedObject;
import org.apache.qpid.server.virtualhost.derby.DerbyVirtualHost;

/**
 * Qpid virtual host type {@value #TYPE}: Qpid's {@code DERBY} virtual host (same attributes, same default store path,
 * same files) whose message store is {@link PreparedRemovalDerbyMessageStore}.
 *
 * <p>A type of its own because Qpid refuses to start with two factories for one type, and its per-type switch
 * ({@code qpid.type.disabled:virtualhost.DERBY}) would switch off every {@code DERBY} factory, this one included.
 * Data directories whose virtual host was created as {@code DERBY} are moved to this type by
 * {@link DerbyVirtualHostTypeMigration} before the broker starts.
 */
@ManagedObject(category = false, type = PreparedRemovalDerbyVirtualHost.TYPE)
public interface PreparedRemovalDerbyVirtualHost<X extends DerbyVirtualHost<X>> extends DerbyVirtualHost<X> {

    String TYPE = "DerbyPreparedRemoval";
}
