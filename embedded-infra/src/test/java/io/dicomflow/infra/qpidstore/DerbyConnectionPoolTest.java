package io.dicomflow.infra.qpidstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool behind {@link PreparedRemovalDerbyMessageStore}, on an in-memory Derby database. */
class DerbyConnectionPoolTest {

    @TempDir
    static Path logDir;

    private String url;
    private DerbyConnectionPool pool;

    /** Derby's engine boots here first in this JVM; without this it writes derby.log into the module directory. */
    @BeforeAll
    static void keepDerbyLogOutOfTheWorkingDirectory() {
        if (System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.file", logDir.resolve("derby.log").toString());
        }
    }

    @BeforeEach
    void createDatabase() throws SQLException {
        url = "jdbc:derby:memory:pool-" + UUID.randomUUID() + ";create=true";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        }
        pool = new DerbyConnectionPool(url, 2);
    }

    @AfterEach
    void dropDatabase() {
        pool.close();
        try {
            DriverManager.getConnection(url.replace(";create=true", ";drop=true"));
        } catch (SQLException expected) {
            // Derby reports a successful drop as an exception (08006)
        }
    }

    @Test
    void aConnectionGivenBackIsLentAgainInsteadOfOpeningANewOne() throws SQLException {
        Connection first = pool.borrow();
        Connection physical = first.unwrap(Connection.class);
        first.close();
        assertThat(first.isClosed()).isTrue();
        assertThat(pool.idleCount()).isEqualTo(1);

        try (Connection second = pool.borrow()) {
            assertThat(second).isNotSameAs(first);
            assertThat(second.unwrap(Connection.class)).isSameAs(physical);
            assertThat(physical.isClosed()).isFalse();
        }
    }

    @Test
    void uncommittedWorkIsRolledBackAndDefaultsRestoredWhenGivenBack() throws SQLException {
        try (Connection c = pool.borrow(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            s.executeUpdate("INSERT INTO t VALUES (1)");
        } // given back without commit
        try (Connection c = pool.borrow(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
            rs.next();
            assertThat(rs.getInt(1)).as("the uncommitted insert is gone").isZero();
        }
    }

    @Test
    void committedWorkStays() throws SQLException {
        try (Connection c = pool.borrow(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO t VALUES (2)");
            c.commit();
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM t")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void aClosedLoanCannotBeUsedAndClosingTwiceGivesBackOnce() throws SQLException {
        Connection c = pool.borrow();
        c.close();
        c.close();
        assertThat(pool.idleCount()).isEqualTo(1);
        assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class).hasMessageContaining("closed");
    }

    @Test
    void neverBlocksAndKeepsAtMostMaxIdle() throws SQLException {
        Connection a = pool.borrow();
        Connection b = pool.borrow();
        Connection c = pool.borrow(); // more than maxIdle lent out at once: opened, not waited for
        Connection physicalC = c.unwrap(Connection.class);
        a.close();
        b.close();
        c.close();
        assertThat(pool.idleCount()).isEqualTo(2);
        assertThat(physicalC.isClosed()).as("the one beyond maxIdle is closed").isTrue();
    }

    @Test
    void closingThePoolClosesIdleConnectionsAndThoseGivenBackLater() throws SQLException {
        Connection idle = pool.borrow();
        Connection idlePhysical = idle.unwrap(Connection.class);
        idle.close();
        Connection lent = pool.borrow();
        Connection lentPhysical = lent.unwrap(Connection.class);
        assertThat(lentPhysical).isSameAs(idlePhysical);
        Connection another = pool.borrow();
        Connection anotherPhysical = another.unwrap(Connection.class);

        pool.close();
        lent.close();
        another.close();

        assertThat(lentPhysical.isClosed()).isTrue();
        assertThat(anotherPhysical.isClosed()).isTrue();
        assertThat(pool.idleCount()).isZero();
        assertThatThrownBy(pool::borrow).isInstanceOf(SQLException.class);
    }
}
