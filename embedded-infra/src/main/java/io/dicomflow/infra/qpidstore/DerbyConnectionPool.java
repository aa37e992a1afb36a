package io.dicomflow.infra.qpidstore;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps embedded Derby connections open between the broker's store transactions instead of opening one through
 * {@link DriverManager} per transaction (7 % of the broker's CPU in {@code BrokerStoreCostBench}).
 *
 * <p>It never blocks and never limits: a borrow takes an idle connection or opens a new one, as Qpid's own store did
 * every time, so a code path that holds one connection while asking for another cannot wait on the pool. At most
 * {@code maxIdle} connections are kept; one given back beyond that is closed.
 *
 * <p>What a borrower sees is a proxy whose {@code close()} hands the connection back, after rolling back work left
 * uncommitted (Qpid commits or rolls back itself; a physical close would have discarded it too) and restoring
 * auto-commit and {@code READ_COMMITTED}, Derby's defaults, so the next borrower starts as on a fresh connection.
 * A connection that fails that reset is closed instead. Durability is Derby's: every commit still forces its log.
 */
final class DerbyConnectionPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DerbyConnectionPool.class);

    private final String url;
    private final LinkedBlockingDeque<Connection> idle;
    private volatile boolean closed;

    DerbyConnectionPool(String url, int maxIdle) {
        this.url = url;
        this.idle = new LinkedBlockingDeque<>(maxIdle);
    }

    /** A connection as {@link DriverManager#getConnection(String)} would return it; {@code close()} gives it back. */
    Connection borrow() throws SQLException {
        if (closed) {
            throw new SQLException("Derby connection pool for " + url + " is closed");
        }
        Connection physical = idle.pollFirst(); // last in, first out: the warmest connection
        if (physical == null) {
            physical = DriverManager.getConnection(url);
        }
        return (Connection) Proxy.newProxyInstance(DerbyConnectionPool.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new Lease(physical));
    }

    /** Connections open in the pool now (for tests). */
    int idleCount() {
        return idle.size();
    }

    /** Closes the idle connections; connections still lent out are closed when given back. */
    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void giveBack(Connection physical) {
        if (closed || !reset(physical) || !idle.offerFirst(physical)) {
            closeQuietly(physical);
            return;
        }
        if (closed) { // close() ran between the check and the offer
            drain();
        }
    }

    private static boolean reset(Connection physical) {
        try {
            if (physical.isClosed()) {
                return false;
            }
            if (!physical.getAutoCommit()) {
                physical.rollback();
                physical.setAutoCommit(true);
            }
            if (physical.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
                physical.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            physical.clearWarnings();
            return true;
        } catch (SQLException e) {
            log.debug("Derby connection not reusable, closing it", e);
            return false;
        }
    }

    private void drain() {
        Connection physical;
        while ((physical = idle.pollFirst()) != null) {
            closeQuietly(physical);
        }
    }

    private static void closeQuietly(Connection physical) {
        try {
            if (!physical.isClosed()) {
                if (!physical.getAutoCommit()) {
                    physical.rollback();
                }
                physical.close();
            }
        } catch (SQLException e) {
            log.debug("closing a Derby connection failed", e); // e.g. the database was shut down under it
        }
    }

    /** One loan of a physical connection: every call goes to it until {@code close()}, which gives it back once. */
    private final class Lease implements InvocationHandler {

        private final Connection physical;
        private final AtomicBoolean returned = new AtomicBoolean();

        Lease(Connection physical) {
            this.physical = physical;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close":
                    if (returned.compareAndSet(false, true)) {
                        giveBack(physical);
                    }
                    return null;
                case "isClosed":
                    return returned.get() || physical.isClosed();
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "pooled " + physical;
                default:
                    if (returned.get()) {
                        throw new SQLException("connection already closed (given back to the pool)", "08003");
                    }
                    try {
                        return method.invoke(physical, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
            }
        }
    }
}
