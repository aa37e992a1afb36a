package io.dicomflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomflow.infra.qpidstore.PreparedRemovalDerbyVirtualHost;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DerbyVirtualHostTypeMigrationTest {

    private static final String RECORD = """
            {
              "id" : "2d10f740-4ccf-42e9-84d5-043bc27151b7",
              "type" : "%s",
              "housekeepingCheckPeriod" : 200,
              "name" : "default",
              "exchanges" : [ { "name" : "amq.direct", "type" : "direct" } ]
            }
            """;

    @Test
    void switchesOnlyTheRootTypeBetweenTheTwoDerbyTypes(@TempDir Path dir) throws Exception {
        Path store = DerbyVirtualHostTypeMigration.nodeStore(dir, "default");
        Files.createDirectories(store.getParent());
        Files.writeString(store, RECORD.formatted("DERBY"));

        assertThat(DerbyVirtualHostTypeMigration.switchTo(store, PreparedRemovalDerbyVirtualHost.TYPE)).isTrue();
        String migrated = Files.readString(store);
        assertThat(migrated).contains("\"type\" : \"" + PreparedRemovalDerbyVirtualHost.TYPE + "\"")
                .contains("\"type\" : \"direct\"").contains("\"housekeepingCheckPeriod\" : 200")
                .contains("2d10f740-4ccf-42e9-84d5-043bc27151b7");
        assertThat(DerbyVirtualHostTypeMigration.switchTo(store, PreparedRemovalDerbyVirtualHost.TYPE))
                .as("already the target type").isFalse();
        assertThat(Files.list(store.getParent())).containsExactly(store); // no temporary file left behind

        assertThat(DerbyVirtualHostTypeMigration.switchTo(store, "DERBY")).isTrue();
        assertThat(Files.readString(store)).contains("\"type\" : \"DERBY\"");
    }

    @Test
    void leavesOtherTypesAndNewDirectoriesAlone(@TempDir Path dir) throws Exception {
        Path store = DerbyVirtualHostTypeMigration.nodeStore(dir, "default");
        assertThat(DerbyVirtualHostTypeMigration.switchTo(store, PreparedRemovalDerbyVirtualHost.TYPE)).isFalse();
        assertThat(store).doesNotExist();

        Files.createDirectories(store.getParent());
        String bdb = RECORD.formatted("BDB");
        Files.writeString(store, bdb);
        assertThat(DerbyVirtualHostTypeMigration.switchTo(store, PreparedRemovalDerbyVirtualHost.TYPE)).isFalse();
        assertThat(Files.readString(store)).isEqualTo(bdb);

        assertThatThrownBy(() -> DerbyVirtualHostTypeMigration.switchTo(store, "Memory"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
