package io.dicomflow.infra;

import java.util.Map;

/** One started (or borrowed) server: the Spring properties that point at it and a line for the banner. */
interface Component extends AutoCloseable {

    /** Spring properties a service needs to reach this server. */
    Map<String, Object> properties();

    /** One human-readable line: what runs where. */
    String describe();

    /** Stops what was started; never throws, logs instead. */
    @Override
    void close();
}
