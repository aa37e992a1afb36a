package io.dicomflow.infra.qpidstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.apache.qpid.server.model.ConfiguredObject;
import org.apache.qpid.server.store.FileBasedSettings;
import org.apache.qpid.server.store.derby.DerbyUtils;
import org.apache.qpid.server.store.jdbc.DerbyMessageRemovalHook;

/**
 * Qpid Broker-J's Derby message store (same tables, same files, same commits) with two changes that remove most of
 * its CPU cost per message (docs/benchmarks.md, "Embedded broker store"):
 * <ul>
 *   <li>Consumed messages are deleted with two prepared statements, {@code DELETE ... WHERE message_id = ?}, run as a
 *       batch. Qpid's store builds {@code DELETE ... WHERE message_id IN (<the ids>)} as text through a plain
 *       statement, so each batch is a new SQL text that Derby parses, optimises and compiles to a class; the prepared
 *       text is the same every time and stays in Derby's statement cache.</li>
 *   <li>Connections come from a {@link DerbyConnectionPool} instead of a new {@code DriverManager} connection per
 *       transaction.</li>
 * </ul>
 * Durability is unchanged: the deletes and every other write still commit through Derby's log with its default
 * durability (the log is forced at each commit); nothing here changes what is written or when it is committed.
 * Because the files are Qpid's own, a store written by Qpid's {@code DERBY} virtual host opens here unchanged and
 * the other way round.
 */
public class PreparedRemovalDerbyMessageStore extends DerbyMessageRemovalHook {

    /**
     * Qpid's Derby store uses no table prefix; the names are Qpid's (private in its store, so repeated here). Were
     * they ever wrong, the delete would fail and the rows stay, which {@code DerbyStoreIT} would report.
     */
    static final String METADATA_TABLE = "QPID_MESSAGE_METADATA";
    static final String CONTENT_TABLE = "QPID_MESSAGE_CONTENT";
    static final String DELETE_METADATA = "DELETE FROM " + METADATA_TABLE + " WHERE message_id = ?";
    static final String DELETE_CONTENT = "DELETE FROM " + CONTENT_TABLE + " WHERE message_id = ?";

    /**
     * Connections kept between transactions. Each persistent message published outside a transaction is its own store
     * transaction, holding a connection until its asynchronous commit is done, so a publisher with confirms has as
     * many open as it has unconfirmed messages (50 in {@code BrokerStoreCostBench}, a relay batch in the product).
     * With 8 kept, the pool opened and closed the rest each time (6 % of the broker's CPU, in Derby's connect); an idle
     * embedded Derby connection costs a few KiB.
     */
    private static final int MAX_IDLE_CONNECTIONS = 64;

    private volatile DerbyConnectionPool pool;

    @Override
    protected void doOpen(ConfiguredObject<?> parent) {
        super.doOpen(parent);
        // the same URL Qpid's store computes for this parent (its own copy is private)
        String url = DerbyUtils.createConnectionUrl(parent.getName(), ((FileBasedSettings) parent).getStorePath());
        pool = new DerbyConnectionPool(url, MAX_IDLE_CONNECTIONS);
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkMessageStoreOpen();
        return pool.borrow();
    }

    @Override
    protected void doClose() {
        DerbyConnectionPool open = pool;
        if (open != null) {
            open.close(); // before Derby shuts the database down under the connections
        }
        super.doClose();
    }

    @Override
    protected void deleteConsumedMessages(Connection conn, List<Long> messageIds) throws SQLException {
        try (PreparedStatement metadata = conn.prepareStatement(DELETE_METADATA);
                PreparedStatement content = conn.prepareStatement(DELETE_CONTENT)) {
            for (long id : messageIds) {
                metadata.setLong(1, id);
                metadata.addBatch();
                content.setLong(1, id);
                content.addBatch();
            }
            metadata.executeBatch();
            content.executeBatch();
        }
        conn.commit();
        getLogger().debug("Deleted metadata and content of messages {}", messageIds);
    }

    /** Connections kept open for reuse now (for tests). */
    public int idleConnections() {
        DerbyConnectionPool open = pool;
        return open == null ? 0 : open.idleCount();
    }
}
