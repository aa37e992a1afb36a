package io.dicomflow.infra;

import io.dicomflow.infra.qpidstore.PreparedRemovalDerbyVirtualHost;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Switches an existing durable data directory's virtual host between the two Derby store types, Qpid's {@code DERBY}
 * and dicomflow's {@link PreparedRemovalDerbyVirtualHost}, before the broker starts.
 *
 * <p>Why it is needed: Qpid applies {@code virtualHostInitialConfiguration} only when the node has no virtual host
 * yet; after that the type is read from the node's JSON store, {@code <work dir>/default/config/default.json}
 * (Qpid's default location for a JSON virtual host node named {@code default}). A data directory created before
 * dicomflow had its own store type would otherwise keep Qpid's slower store forever.
 *
 * <p>Why it is safe: both types are the same Derby database (same store path attribute and default, same tables,
 * same files), so only the {@code type} attribute of the root record changes; nothing else in the file is touched.
 * The file is replaced atomically (written next to it, forced to disk, then moved over it), so a crash leaves either
 * the old or the new type, both of which open the same messages. A record of any other type is left alone.
 */
final class DerbyVirtualHostTypeMigration {

    static final String QPID_DERBY_TYPE = "DERBY";
    private static final Set<String> DERBY_TYPES = Set.of(QPID_DERBY_TYPE, PreparedRemovalDerbyVirtualHost.TYPE);
    private static final Logger log = LoggerFactory.getLogger(DerbyVirtualHostTypeMigration.class);
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private DerbyVirtualHostTypeMigration() {
    }

    /** Qpid's JSON store of the virtual host node {@code nodeName} under {@code workDir}. */
    static Path nodeStore(Path workDir, String nodeName) {
        return workDir.resolve(nodeName).resolve("config").resolve(nodeName + ".json");
    }

    /**
     * Sets the stored virtual host type to {@code targetType} if it is the other Derby type.
     *
     * @return whether the file was changed
     */
    static boolean switchTo(Path nodeStore, String targetType) throws IOException {
        if (!DERBY_TYPES.contains(targetType)) {
            throw new IllegalArgumentException("not a Derby virtual host type: " + targetType);
        }
        if (!Files.isRegularFile(nodeStore)) {
            return false; // new data directory: the initial configuration gives the type
        }
        JsonNode root = JSON.readTree(nodeStore.toFile());
        JsonNode type = root.get("type");
        if (!(root instanceof ObjectNode record) || type == null || !type.isString()
                || !DERBY_TYPES.contains(type.asString()) || type.asString().equals(targetType)) {
            return false;
        }
        String previous = type.asString();
        record.put("type", targetType);
        Path next = nodeStore.resolveSibling(nodeStore.getFileName() + ".type-switch");
        Files.write(next, JSON.writeValueAsBytes(record));
        try (FileChannel channel = FileChannel.open(next, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(next, nodeStore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("Embedded AMQP broker: virtual host store type {} -> {} in {} (same Derby files)", previous, targetType,
                nodeStore);
        return true;
    }
}
