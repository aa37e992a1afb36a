package org.apache.qpid.server.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.qpid.server.store.derby.DerbyMessageStore;

/**
 * dicomflow's (not Qpid's) seam into Qpid Broker-J's Derby message store: turns the package-private step that deletes
 * consumed messages into a protected method a subclass elsewhere can implement.
 *
 * <p>Why this one class sits in Qpid's package: Qpid 10.1.0 declares that step ({@code removeMessagesFromDatabase})
 * without a modifier, and the JVM lets only a class of the same runtime package (same package name, same class
 * loader) override such a method. The embedded broker's classes all come from one class loader (the host
 * application's), so this subclass does override it. If a Qpid upgrade renames or changes the step, this class stops
 * compiling (the {@code @Override} below) rather than silently falling back to Qpid's own SQL, and
 * {@code DerbyStoreIT} checks at run time that the prepared statement is what Derby executes.
 *
 * <p>Contract kept from Qpid's step: delete the metadata and the content rows of the given message ids on the given
 * connection (auto-commit off) and commit; a {@link SQLException} makes Qpid roll back and report the failure.
 */
public abstract class DerbyMessageRemovalHook extends DerbyMessageStore {

    @Override
    void removeMessagesFromDatabase(Connection conn, List<Long> messageIds) throws SQLException {
        deleteConsumedMessages(conn, messageIds);
    }

    /** Deletes the stored rows of consumed messages and commits; see the class comment for the contract. */
    protected abstract void deleteConsumedMessages(Connection conn, List<Long> messageIds) throws SQLException;
}
